const BUCKET_MS = 0.01 // 10 µs buckets
const BUCKETS = 200_000 // up to 2 s; slower responses land in the last bucket

/**
 * Response times at 10 µs resolution. autocannon's own histogram keeps whole milliseconds,
 * too coarse for servers that answer in one or two.
 */
export class LatencyHistogram {
  #counts = new Uint32Array(BUCKETS)
  count = 0

  record(ms) {
    const bucket = Math.min(BUCKETS - 1, Math.floor(ms / BUCKET_MS))
    this.#counts[bucket]++
    this.count++
  }

  /** The `p`-th percentile (0–100) in milliseconds, the upper edge of its bucket. */
  percentile(p) {
    if (this.count === 0) return Number.NaN
    const rank = Math.ceil((p / 100) * this.count)
    let seen = 0
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.#counts[i]
      if (seen >= rank) return (i + 1) * BUCKET_MS
    }
    return BUCKETS * BUCKET_MS
  }
}
