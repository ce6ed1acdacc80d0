import { Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { API_PATH_PATTERNS } from '../../shared/portal/web-paths.ts';
import { WEB_SECURITY_HEADERS } from '../../shared/portal/web-security-headers.ts';
import { acknowledge, cfn } from '../constructs/nag.ts';

export interface WebHostingProps {
  readonly httpApi: HttpApi;
  /** The built web app (`web/dist`): deployed to the bucket when given (`cdk deploy` builds it first). */
  readonly assetsDir?: string;
}

/** A path without a file extension is one of the app's own routes: the browser gets index.html. */
const SPA_ROUTES = `function handler(event) {
  var request = event.request;
  if (request.uri.lastIndexOf('.') <= request.uri.lastIndexOf('/')) request.uri = '/index.html';
  return request;
}`;

/**
 * The web app (developer portal and console) on the API's origin: CloudFront serves the bucket's files
 * and sends every API path (shared/portal/web-paths.ts) to the HTTP API uncached, so the app calls
 * its API same-origin and sign-in cookies or CORS never come into it.
 */
export class WebHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'WebBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });
    const csp = WEB_SECURITY_HEADERS['content-security-policy'];
    const headers = new ResponseHeadersPolicy(this, 'WebHeaders', {
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
      },
    });
    const apiDomain = Fn.select(2, Fn.split('/', props.httpApi.apiEndpoint));
    const api = {
      origin: new HttpOrigin(apiDomain),
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };
    this.distribution = new Distribution(this, 'WebDistribution', {
      comment: `Portico web app and API (${Stack.of(this).stackName})`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        functionAssociations: [
          {
            eventType: FunctionEventType.VIEWER_REQUEST,
            function: new CloudFrontFunction(this, 'WebRoutes', {
              code: FunctionCode.fromInline(SPA_ROUTES),
              runtime: FunctionRuntime.JS_2_0,
            }),
          },
        ],
      },
      additionalBehaviors: Object.fromEntries(API_PATH_PATTERNS.map((pattern) => [pattern, api])),
    });
    if (props.assetsDir) {
      new BucketDeployment(this, 'WebAssets', {
        sources: [Source.asset(props.assetsDir)],
        destinationBucket: this.bucket,
        distribution: this.distribution,
      });
    }
    acknowledge(
      cfn(this.bucket),
      'S1',
      'Only CloudFront reads this bucket (origin access control), and it holds nothing but the public web app',
    );
    const distribution = cfn(this.distribution);
    acknowledge(distribution, 'CFR1', 'A public developer portal and API: no country is excluded');
    acknowledge(
      distribution,
      'CFR2',
      'The gateway enforces per-app, per-API and per-IP rate limits and IP rules itself; a WAF web ACL is a per-deployment choice',
    );
    acknowledge(
      distribution,
      'CFR3',
      "Every API call is in the HTTP API's access log and the gateway's request log; the static files need none",
    );
    acknowledge(
      distribution,
      'CFR4',
      'The default *.cloudfront.net certificate; a deployment with its own domain sets TLSv1.2_2021 with its certificate',
    );
  }
}
