/**
 * Import rules of the module shape (docs/architecture.md): domain code is pure, adapters hold every AWS
 * or network call, `http/` holds the protocol edge, `testing/` is for tests only. Run by `npm test`.
 */
const CAPABILITIES =
  '(identity|console|gateway|analytics|messages|partners|portal|testcases|egress|kernel|tracing|crypto)';
const DOMAIN = `^shared/${CAPABILITIES}/`;
const NOT_DOMAIN = '(/adapters/|/http/|/testing/|\\.test\\.ts$)';
const TESTS = '(\\.test\\.ts$|^test/|^bench/|/testing/)';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules may not import each other in a circle, directly or through others.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-not-to-adapters',
      severity: 'error',
      comment: 'Domain code reaches AWS and the network through ports, never through an adapter.',
      from: { path: DOMAIN, pathNot: NOT_DOMAIN },
      to: { path: '/adapters/' },
    },
    {
      name: 'domain-not-to-edge',
      severity: 'error',
      comment: 'Domain code knows no HTTP: it throws DomainError; shared/http and http/ map it at the edge.',
      from: { path: DOMAIN, pathNot: NOT_DOMAIN },
      to: { path: ['^shared/http/', `^shared/${CAPABILITIES}/http/`] },
    },
    {
      name: 'domain-not-to-aws-or-io',
      severity: 'error',
      comment: 'Domain code imports no AWS SDK, Lambda types, middleware or I/O module.',
      from: { path: DOMAIN, pathNot: NOT_DOMAIN },
      to: {
        path: [
          '^@aws-sdk/',
          '^@smithy/',
          '^@aws-lambda-powertools/',
          '^@middy/',
          '^aws-lambda$',
          '^shared/aws/(?!dynamo-cursor)',
          '^(node:)?(http|https|http2|dgram|tls|fs|fs/promises|child_process|dns)$',
        ],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'production-not-to-testing',
      severity: 'error',
      comment: 'In-memory doubles and fixtures serve tests and benchmarks only.',
      from: { pathNot: TESTS },
      to: { path: '/testing/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|cdk\\.out|\\.portico)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
