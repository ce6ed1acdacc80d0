import { useEffect, useRef } from 'react';

/**
 * The control that opens a panel: focus goes back to it when the panel closes, rather than being
 * lost with the panel's removed content.
 */
export function useFocusReturn<T extends HTMLElement>(open: boolean) {
  const opener = useRef<T>(null);
  const wasOpen = useRef(open);
  useEffect(() => {
    if (wasOpen.current && !open) opener.current?.focus();
    wasOpen.current = open;
  }, [open]);
  return opener;
}
