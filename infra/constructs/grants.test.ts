import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { grantItems } from './grants.ts';

function fixture() {
  const stack = new Stack(new App(), 'Test');
  const table = new Table(stack, 'Table', {
    partitionKey: { name: 'pk', type: AttributeType.STRING },
    sortKey: { name: 'sk', type: AttributeType.STRING },
  });
  table.addGlobalSecondaryIndex({
    indexName: 'gsi1',
    partitionKey: { name: 'g', type: AttributeType.STRING },
  });
  const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  const statements = () =>
    Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap(
      (p: any) => p.Properties.PolicyDocument.Statement,
    );
  return { table, role, statements };
}

describe('grantItems', () => {
  it('groups actions with the same keys and picks StringEquals for exact keys, StringLike for patterns', () => {
    const { table, role, statements } = fixture();
    grantItems(role, table, { GetItem: ['JWKS', 'APP#*'], PutItem: ['APP#*', 'JWKS'], Query: ['AUDIT'] });
    expect(statements()).toEqual([
      expect.objectContaining({
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['APP#*', 'JWKS'] } },
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Table/), 'Arn'] },
      }),
      expect.objectContaining({
        Action: 'dynamodb:Query',
        Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['AUDIT'] } },
      }),
    ]);
  });

  it('grants index queries on the index resource only', () => {
    const { table, role, statements } = fixture();
    grantItems(role, table, {}, { indexQueries: { gsi1: ['APPS'] } });
    expect(statements()).toEqual([
      expect.objectContaining({
        Action: 'dynamodb:Query',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.any(String), 'Arn'] }, '/index/gsi1']] },
      }),
    ]);
  });

  it('refuses a key that would match every item, and an index the table lacks', () => {
    const { table, role } = fixture();
    expect(() => grantItems(role, table, { GetItem: ['*'] })).toThrow(/every item/);
    expect(() => grantItems(role, table, {}, { indexQueries: { nope: ['APPS'] } })).toThrow();
  });
});
