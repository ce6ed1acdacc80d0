/** One page of a console listing: pass `next` back as `cursor` for the following one. */
export interface Page<T> {
  items: T[];
  next?: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}
