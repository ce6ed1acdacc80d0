/** Shares are counted in thousandths of a percent, so that a step of 0.5 % is as exact as one of 5 %. */
const SCALE = 100_000;

/**
 * Lets exactly a ramp step's share of a partner's calls through, spread evenly: call n goes when
 * ⌈(n+1)·p⌉ > ⌈n·p⌉, so any run of 100/p calls holds exactly one admitted. A random draw would not
 * do: at 1 % over 200 calls it lets anywhere from 0 to 6 through. Each instance starts its count at a
 * random phase, so that many instances with a few calls each still let p through on the whole rather
 * than each one's first call.
 */
export class RampAdmission {
  private readonly counts = new Map<string, { units: number; calls: number }>();

  constructor(private readonly random: () => number = Math.random) {}

  admits(partnerId: string, percent: number): boolean {
    if (percent >= 100) return true;
    if (percent <= 0) return false;
    const units = Math.round(percent * (SCALE / 100));
    let count = this.counts.get(partnerId);
    if (!count || count.units !== units) {
      count = { units, calls: Math.floor(this.random() * Math.ceil(SCALE / units)) };
      this.counts.set(partnerId, count);
    }
    const n = count.calls++;
    return Math.ceil(((n + 1) * units) / SCALE) > Math.ceil((n * units) / SCALE);
  }
}
