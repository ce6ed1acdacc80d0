import { listAccessRequests } from '../api/my-apps.ts';
import { usePaged } from '../ui/use-paged.ts';

const PAGE_SIZE = 50;
const loadPage = (cursor?: string) => listAccessRequests(cursor, PAGE_SIZE);

/** The developer's access requests (their inbox), newest first, a page at a time. */
export const useAccessRequests = () => usePaged('access-requests', loadPage);

export type AccessRequests = ReturnType<typeof useAccessRequests>;
