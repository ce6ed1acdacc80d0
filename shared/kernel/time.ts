/** Whole seconds since the Unix epoch, as DynamoDB TTL attributes and JWT claims count time. */
export const epochSeconds = (at: Date | number): number =>
  Math.floor((typeof at === 'number' ? at : at.getTime()) / 1000);
