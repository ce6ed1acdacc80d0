import { describe, expect, it } from 'vitest';
import { type Physical, resolveValue, TemplateSet } from './template.ts';

const set = new TemplateSet([
  {
    stackName: 'Data',
    template: {
      Resources: { Table: { Type: 'AWS::DynamoDB::Table' }, Queue: { Type: 'AWS::SQS::Queue' } },
      Outputs: {
        QueueArnOut: { Value: { 'Fn::GetAtt': ['Queue', 'Arn'] }, Export: { Name: 'Data:QueueArn' } },
      },
    },
  },
  { stackName: 'Api', template: { Resources: { Api: { Type: 'AWS::ApiGatewayV2::Api' } } } },
]);

const physical = async (logicalId: string, stackName: string): Promise<Physical> => {
  const { resource } = set.get(stackName, logicalId);
  return {
    ref: `${stackName}-${logicalId}`,
    attributes: {
      Arn: `arn:${stackName}:${logicalId}`,
      ...(resource.Type === 'AWS::ApiGatewayV2::Api' ? { ApiEndpoint: 'http://127.0.0.1:3000' } : {}),
    },
  };
};
const resolve = (value: unknown, stack = 'Api') => resolveValue(value, stack, set, physical);

describe('resolveValue', () => {
  it('resolves Ref, GetAtt (both forms) and pseudo parameters', async () => {
    expect(await resolve({ Ref: 'Table' }, 'Data')).toBe('Data-Table');
    expect(await resolve({ 'Fn::GetAtt': ['Api', 'ApiEndpoint'] })).toBe('http://127.0.0.1:3000');
    expect(await resolve({ 'Fn::GetAtt': 'Table.Arn' }, 'Data')).toBe('arn:Data:Table');
    expect(await resolve({ Ref: 'AWS::Region' })).toBe('us-east-1');
  });

  it('follows exports across stacks', async () => {
    expect(await resolve({ 'Fn::ImportValue': 'Data:QueueArn' })).toBe('arn:Data:Queue');
  });

  it('joins, substitutes, selects and splits, recursing into objects and arrays', async () => {
    const value = {
      joined: { 'Fn::Join': ['/', ['a', { Ref: 'Api' }]] },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders
      sub: { 'Fn::Sub': 'x-${Api}-${Api.ApiEndpoint}-${AWS::AccountId}' },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders
      subVars: { 'Fn::Sub': ['${A}+${B}', { A: 1, B: { Ref: 'Api' } }] },
      picked: { 'Fn::Select': [1, { 'Fn::Split': [',', 'a,b,c'] }] },
      list: [{ Ref: 'Api' }, 'literal'],
    };
    expect(await resolve(value)).toEqual({
      joined: 'a/Api-Api',
      sub: 'x-Api-Api-http://127.0.0.1:3000-123456789012',
      subVars: '1+Api-Api',
      picked: 'b',
      list: ['Api-Api', 'literal'],
    });
  });

  it('names what it cannot resolve', async () => {
    await expect(resolve({ Ref: 'Missing' })).rejects.toThrow('Api has no resource Missing');
    await expect(resolve({ 'Fn::GetAtt': ['Api', 'Nope'] })).rejects.toThrow('Api.Nope has no local value');
    await expect(resolve({ 'Fn::ImportValue': 'Nobody' })).rejects.toThrow('no stack exports Nobody');
  });
});
