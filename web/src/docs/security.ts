import type { OpenApiDocument, SecurityRequirement, SecuritySchemeObject } from './openapi.ts';
import { deref } from './refs.ts';

/** A security scheme of the document, as its "Authentication" section explains it. */
export interface SchemeSummary {
  name: string;
  title: string;
  description: string | undefined;
  /** Where OAuth 2.0 clients get tokens, and with which flow. */
  tokenUrl: string | undefined;
  flow: string | undefined;
  /** Every scope the scheme knows, with what it grants. */
  scopes: [scope: string, description: string][];
}

const FLOW_TITLES: Record<string, string> = {
  clientCredentials: 'client credentials',
  authorizationCode: 'authorization code',
  implicit: 'implicit',
  password: 'password',
};

function titleOf(name: string, scheme: SecuritySchemeObject): string {
  switch (scheme.type) {
    case 'oauth2':
      return 'OAuth 2.0 access token';
    case 'http':
      return scheme.scheme?.toLowerCase() === 'bearer'
        ? 'Bearer token'
        : `HTTP ${scheme.scheme ?? ''} authentication`;
    case 'apiKey':
      return name === 'signedRequest'
        ? 'Signed request'
        : `API key (${scheme.in ?? 'header'} ${scheme.name ?? ''})`;
    case 'openIdConnect':
      return 'OpenID Connect';
    case 'mutualTLS':
      return 'Mutual TLS';
    default:
      return name;
  }
}

export function schemesOf(document: OpenApiDocument): SchemeSummary[] {
  return Object.entries(document.components?.securitySchemes ?? {}).flatMap(([name, candidate]) => {
    const scheme = deref<SecuritySchemeObject>(document, candidate);
    if (!scheme) return [];
    const [flowName, flow] = Object.entries(scheme.flows ?? {})[0] ?? [];
    return [
      {
        name,
        title: titleOf(name, scheme),
        description: scheme.description,
        tokenUrl: flow?.tokenUrl,
        flow: flowName ? (FLOW_TITLES[flowName] ?? flowName) : undefined,
        scopes: Object.entries(flow?.scopes ?? {}),
      },
    ];
  });
}

/** One way of authenticating an operation: every scheme in it at once, with the scopes each needs. */
export interface AccessOption {
  schemes: { name: string; title: string; scopes: string[] }[];
}

/** The operation's alternatives; an empty requirement (`{}`) is an option of no credentials at all. */
export function accessOptionsOf(document: OpenApiDocument, security: SecurityRequirement[]): AccessOption[] {
  const schemes = new Map(schemesOf(document).map((scheme) => [scheme.name, scheme]));
  return security.map((requirement) => ({
    schemes: Object.entries(requirement).map(([name, scopes]) => ({
      name,
      title: schemes.get(name)?.title ?? name,
      scopes,
    })),
  }));
}

/** Whether a bearer token alone (as try-it sends) is one of the operation's ways in. */
export function acceptsBearerToken(document: OpenApiDocument, security: SecurityRequirement[]): boolean {
  if (security.length === 0) return true;
  const byName = document.components?.securitySchemes ?? {};
  return security.some((requirement) =>
    Object.keys(requirement).every((name) => {
      const scheme = deref<SecuritySchemeObject>(document, byName[name]);
      return (
        scheme?.type === 'oauth2' || (scheme?.type === 'http' && scheme.scheme?.toLowerCase() === 'bearer')
      );
    }),
  );
}
