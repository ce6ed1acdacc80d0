import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import { fetchMyApps, type MyApp } from '../api/me.ts';
import { useSession } from '../auth/session-context.tsx';
import { type Resource, useResource } from '../ui/use-resource.ts';

/** The developer's apps, loaded once for all the page's try-it panels, and the one chosen in any of them. */
export interface TryItApps {
  apps: Resource<MyApp[]>;
  selectedAppId: string | undefined;
  selectApp: (appId: string) => void;
}

const TryItContext = createContext<TryItApps | undefined>(undefined);

export function TryItProvider({ children }: { children: ReactNode }) {
  const { signedIn } = useSession();
  const apps = useResource(signedIn ? 'apps' : null, fetchMyApps);
  const [chosen, selectApp] = useState<string>();
  const loaded = apps.status === 'ready' ? apps.data : [];
  const selectedAppId = loaded.some((app) => app.appId === chosen) ? chosen : loaded[0]?.appId;
  const value = useMemo(() => ({ apps, selectedAppId, selectApp }), [apps, selectedAppId]);
  return <TryItContext.Provider value={value}>{children}</TryItContext.Provider>;
}

export function useTryItApps(): TryItApps {
  const value = useContext(TryItContext);
  if (!value) throw new Error('useTryItApps needs a TryItProvider above it.');
  return value;
}
