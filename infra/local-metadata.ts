/**
 * Template metadata that tells the local runtime which source module a Lambda function runs. It is
 * ignored by CloudFormation and lets local and cloud share one source of truth: the CDK app.
 */
export const LOCAL_ENTRY_METADATA = 'portico:local';

export interface LocalEntry {
  /** Repository-relative path of the handler module, e.g. functions/oauth/token.ts */
  entry: string;
  /** Exported handler name */
  handler: string;
}
