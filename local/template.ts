/** The parts of a CloudFormation template the local runtime reads. */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DependsOn?: string | string[];
}

export interface CfnTemplate {
  Resources?: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
}

export interface StackTemplate {
  stackName: string;
  template: CfnTemplate;
}

export interface ResourceRef {
  stackName: string;
  logicalId: string;
  resource: CfnResource;
}

export const LOCAL_ACCOUNT = '123456789012';
export const LOCAL_REGION = 'us-east-1';

/** Physical identity of a resource once it exists locally: what Ref and Fn::GetAtt return. */
export interface Physical {
  ref: string;
  attributes: Record<string, string>;
}

export type PhysicalLookup = (logicalId: string, stackName: string) => Promise<Physical>;

export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** Finds resources across stacks, and export values for Fn::ImportValue. */
export class TemplateSet {
  readonly resources: ResourceRef[] = [];
  private readonly byKey = new Map<string, ResourceRef>();

  constructor(readonly stacks: StackTemplate[]) {
    for (const { stackName, template } of stacks) {
      for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
        const ref = { stackName, logicalId, resource };
        this.resources.push(ref);
        this.byKey.set(`${stackName}/${logicalId}`, ref);
      }
    }
  }

  get(stackName: string, logicalId: string): ResourceRef {
    const ref = this.byKey.get(`${stackName}/${logicalId}`);
    if (!ref) throw new TemplateError(`${stackName} has no resource ${logicalId}`);
    return ref;
  }

  ofType(type: string): ResourceRef[] {
    return this.resources.filter((r) => r.resource.Type === type);
  }

  /** The export named `name`, as the stack and value expression that produce it. */
  exported(name: string): { stackName: string; value: unknown } {
    for (const { stackName, template } of this.stacks) {
      for (const output of Object.values(template.Outputs ?? {})) {
        if (output.Export?.Name === name) return { stackName, value: output.Value };
      }
    }
    throw new TemplateError(`no stack exports ${name}`);
  }
}

const PSEUDO: Record<string, string> = {
  'AWS::Region': LOCAL_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::NoValue': '',
};

/**
 * Resolves CloudFormation intrinsics against local physical resources. Supports what CDK emits for
 * this app: Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split and Fn::ImportValue.
 */
export async function resolveValue(
  value: unknown,
  stackName: string,
  set: TemplateSet,
  physical: PhysicalLookup,
): Promise<unknown> {
  const again = (v: unknown, stack = stackName) => resolveValue(v, stack, set, physical);
  if (Array.isArray(value)) return Promise.all(value.map((v) => again(v)));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [fn, arg] = entries[0]!;
    switch (fn) {
      case 'Ref': {
        const name = arg as string;
        if (name in PSEUDO) return PSEUDO[name];
        if (name === 'AWS::StackName') return stackName;
        return (await physical(name, stackName)).ref;
      }
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(arg) ? (arg as string[]) : (arg as string).split('.');
        const found = (await physical(logicalId!, stackName)).attributes[attribute!];
        if (found === undefined) throw new TemplateError(`${logicalId}.${attribute} has no local value`);
        return found;
      }
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, unknown[]];
        return ((await again(parts)) as unknown[]).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        return ((await again(list)) as unknown[])[Number(await again(index))];
      }
      case 'Fn::Split': {
        const [separator, source] = arg as [string, unknown];
        return String(await again(source)).split(separator);
      }
      case 'Fn::Sub': {
        const [text, vars] = typeof arg === 'string' ? [arg, {}] : (arg as [string, Record<string, unknown>]);
        const resolvedVars: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(vars)) resolvedVars[k] = await again(v);
        let out = '';
        let last = 0;
        for (const match of text.matchAll(/\$\{([^}]+)\}/g)) {
          out += text.slice(last, match.index);
          const name = match[1]!;
          if (name in resolvedVars) out += String(resolvedVars[name]);
          else if (name.includes('.')) out += String(await again({ 'Fn::GetAtt': name.split('.') }));
          else out += String(await again({ Ref: name }));
          last = match.index! + match[0].length;
        }
        return out + text.slice(last);
      }
      case 'Fn::ImportValue': {
        const exported = set.exported(String(await again(arg)));
        return again(exported.value, exported.stackName);
      }
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) out[k] = await again(v);
  return out;
}
