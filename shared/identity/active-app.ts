import type { App } from './model.ts';
import type { AppStore } from './ports.ts';

/**
 * The app, if it may authenticate: it is active and so is the developer who owns it. Every way of
 * authenticating an app (token endpoint, consent, signed requests) asks this, so disabling either one
 * refuses the app the same way.
 */
export async function activeApp(apps: AppStore, appId: string): Promise<App | undefined> {
  const app = await apps.getApp(appId);
  if (app?.status !== 'active') return undefined;
  if (app.developerId && (await apps.developerStatus(app.developerId)) !== 'active') return undefined;
  return app;
}
