import { describe, expect, it } from 'vitest';
import { DISCOVERY_ROUTES } from '../../functions/discovery/routes.ts';
import { OAUTH_ROUTES } from '../../functions/oauth/routes.ts';
import { routeKeysInSource, synthCapability } from './capability-fixture.ts';
import { IdentityApi } from './identity-api.ts';

const ENTRIES = {
  token: 'functions/oauth/token.ts',
  authorize: 'functions/oauth/authorize.ts',
  'token-management': 'functions/oauth/token-management.ts',
  discovery: 'functions/discovery/handler.ts',
  rotate: 'functions/keys/rotate.ts',
};
const { template, resources, functions, routes, schedules, reaches, mayRun, statements } = synthCapability(
  (scope, props) => new IdentityApi(scope, 'Identity', props),
);

describe('IdentityApi', () => {
  it('owns the OAuth, discovery and key rotation functions, and no other', () => {
    expect(Object.keys(functions).sort()).toEqual(Object.values(ENTRIES).sort());
  });

  it('routes exactly the OAuth and discovery route tables, each to its handler module', () => {
    expect(routes).toEqual({
      ...Object.fromEntries(Object.entries(OAUTH_ROUTES).map(([key, module]) => [key, ENTRIES[module]])),
      ...Object.fromEntries(Object.keys(DISCOVERY_ROUTES).map((key) => [key, ENTRIES.discovery])),
    });
  });

  it('routes every route key a handler spells out to that handler', () => {
    for (const entry of Object.values(ENTRIES))
      for (const key of routeKeysInSource(entry)) expect(routes[key], `${entry}: ${key}`).toBe(entry);
  });

  it('sizes the token and discovery functions by their cold start (docs/cost.md)', () => {
    expect(resources[functions[ENTRIES.token]!].Properties.MemorySize).toBe(704);
    expect(resources[functions[ENTRIES.discovery]!].Properties.MemorySize).toBe(768);
    expect(resources[functions[ENTRIES.authorize]!].Properties.MemorySize).toBe(512);
  });

  it('gives the OAuth and discovery functions the API endpoint as token issuer', () => {
    const issuer = { 'Fn::GetAtt': [expect.stringMatching(/^Api/), 'ApiEndpoint'] };
    for (const entry of ['token', 'authorize', 'token-management', 'discovery'] as const)
      expect(
        resources[functions[ENTRIES[entry]]!].Properties.Environment.Variables.TOKEN_ISSUER,
        entry,
      ).toEqual(issuer);
  });

  it('rotates the signing keys daily, with retries and the shared schedule dead-letter queue', () => {
    expect(schedules).toEqual([
      {
        expression: 'rate(1 day)',
        target: ENTRIES.rotate,
        retryPolicy: expect.objectContaining({ MaximumRetryAttempts: 3 }),
        deadLetterQueue: 'ScheduleDlq',
      },
    ]);
  });

  it('runs key rotation once at deployment (trigger), synchronously, not again on code changes', () => {
    template.resourceCountIs('Custom::Trigger', 1);
    const trigger = Object.values(template.findResources('Custom::Trigger'))[0]!.Properties;
    expect(trigger).toMatchObject({ InvocationType: 'RequestResponse', ExecuteOnHandlerChange: false });
    const version = resources[trigger.HandlerArn.Ref];
    expect(version.Type).toBe('AWS::Lambda::Version');
    expect(version.Properties.FunctionName).toEqual({ Ref: functions[ENTRIES.rotate] });
  });

  it('grants each function the data it uses and nothing else', () => {
    expect(reaches(ENTRIES.token)).toEqual(['IdentityTable', 'PlatformKey', 'SigningKeys']);
    expect(reaches(ENTRIES.authorize)).toEqual(['IdentityTable']);
    expect(reaches(ENTRIES['token-management'])).toEqual(['IdentityTable']);
    expect(reaches(ENTRIES.discovery)).toEqual(['IdentityTable']);
    expect(reaches(ENTRIES.rotate)).toEqual([
      'IdentitySigningKeys',
      'IdentityTable',
      'PlatformKey',
      'SigningKeys',
    ]);
  });

  it('lets the token function read the signing keys and the rotation function write them', () => {
    expect(mayRun(ENTRIES.token, 'secretsmanager:GetSecretValue', 'SigningKeys')).toBe(true);
    expect(mayRun(ENTRIES.token, 'secretsmanager:PutSecretValue', 'SigningKeys')).toBe(false);
    expect(mayRun(ENTRIES.rotate, 'secretsmanager:PutSecretValue', 'SigningKeys')).toBe(true);
  });

  it('limits discovery and key rotation to the JWKS item of the identity table', () => {
    for (const entry of [ENTRIES.discovery, ENTRIES.rotate])
      for (const s of statements(entry).filter((x) => x.resources.includes('IdentityTable')))
        expect(s.condition, entry).toEqual({
          'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['JWKS'] },
        });
  });
});
