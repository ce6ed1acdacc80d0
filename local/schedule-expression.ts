/**
 * EventBridge schedule expressions: rate(N unit), cron(min hour dom month dow year) and at(ISO time),
 * evaluated in UTC. Returns the next fire time after `from`, or undefined when there is none.
 */
export type NextFire = (from: Date) => Date | undefined;

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export class ScheduleExpressionError extends Error {
  override name = 'ScheduleExpressionError';
}

function parseField(field: string, min: number, max: number, names: string[] = []): Set<number> | 'any' {
  if (field === '*' || field === '?') return 'any';
  const values = new Set<number>();
  const toNumber = (token: string) => {
    const byName = names.indexOf(token.toUpperCase());
    const n = byName >= 0 ? byName + min : Number(token);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new ScheduleExpressionError(`bad cron value ${token}`);
    return n;
  };
  for (const part of field.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new ScheduleExpressionError(`bad cron step ${part}`);
    let [lo, hi] = [min, max];
    if (range !== '*') {
      const [a, b] = range!.split('-');
      lo = toNumber(a!);
      hi = b === undefined ? (stepText === undefined ? lo : max) : toNumber(b);
    }
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return values;
}

const has = (set: Set<number> | 'any', v: number) => set === 'any' || set.has(v);

function parseCron(body: string): NextFire {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) throw new ScheduleExpressionError('cron needs 6 fields');
  if (fields.some((f) => /[LW#]/.test(f)))
    throw new ScheduleExpressionError('L, W and # are not supported locally');
  const [min, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  const minutes = parseField(min, 0, 59);
  const hours = parseField(hour, 0, 23);
  const days = parseField(dom, 1, 31);
  const months = parseField(month, 1, 12, [
    'JAN',
    'FEB',
    'MAR',
    'APR',
    'MAY',
    'JUN',
    'JUL',
    'AUG',
    'SEP',
    'OCT',
    'NOV',
    'DEC',
  ]);
  const weekdays = parseField(dow, 1, 7, ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']);
  const years = parseField(year, 1970, 2199);
  return (from) => {
    const t = new Date(from);
    t.setUTCSeconds(0, 0);
    t.setUTCMinutes(t.getUTCMinutes() + 1);
    // Minute steps over at most ~2 years is enough for any expression that fires at all.
    for (let i = 0; i < 2 * 366 * 24 * 60; i++) {
      if (
        has(years, t.getUTCFullYear()) &&
        has(months, t.getUTCMonth() + 1) &&
        has(days, t.getUTCDate()) &&
        has(weekdays, t.getUTCDay() + 1) &&
        has(hours, t.getUTCHours()) &&
        has(minutes, t.getUTCMinutes())
      ) {
        return new Date(t);
      }
      t.setUTCMinutes(t.getUTCMinutes() + 1);
    }
    return undefined;
  };
}

export function parseScheduleExpression(expression: string): NextFire {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const every = Number(rate[1]) * UNIT_MS[rate[2]!.replace(/s$/, '')]!;
    if (every <= 0) throw new ScheduleExpressionError('rate must be positive');
    return (from) => new Date(from.getTime() + every);
  }
  const cron = /^cron\((.+)\)$/.exec(expression);
  if (cron) return parseCron(cron[1]!);
  const at = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression);
  if (at) {
    const when = new Date(`${at[1]}Z`);
    return (from) => (when > from ? when : undefined);
  }
  throw new ScheduleExpressionError(`unsupported schedule expression ${expression}`);
}
