// One autocannon load on one URL, its figures as one JSON line on standard output (benchmarks/serving.py).
// The command line's --json report has p50, p97.5 and p99 but no p95: this reads the run's latency histogram
// (every answer's latency, errors included: autocannon's default) and asks it for each percentile.
//
//   node benchmarks/autocannon_client.js URL CONNECTIONS SECONDS [HEADER=VALUE ...]
'use strict'

const autocannon = require('autocannon')
const { decodeHist } = require('autocannon/lib/histUtil')

const [url, connections, duration, ...headerArgs] = process.argv.slice(2)
const headers = Object.fromEntries(headerArgs.map((arg) => [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]))
const options = { url, connections: Number(connections), duration: Number(duration), headers }

autocannon({ ...options, skipAggregateResult: true }, (error, raw) => {
  if (error) {
    console.error(error)
    process.exit(1)
  }
  const report = autocannon.aggregateResult([raw], options)
  const latencies = decodeHist(raw.latencies)
  const perSecond = decodeHist(raw.requests) // one sample a second: the command line's « Req/Sec » average
  const at = (percentile) => latencies.getValueAtPercentile(percentile)
  process.stdout.write(JSON.stringify({
    requests_per_second: perSecond.mean,
    p50_ms: at(50),
    p95_ms: at(95),
    p97_5_ms: at(97.5),
    p99_ms: at(99),
    max_ms: latencies.maxValue,
    requests: raw.totalCompletedRequests,
    non_2xx: report.non2xx,
    errors: report.errors + report.timeouts,
    status_codes: Object.fromEntries(Object.entries(report.statusCodeStats).map(([code, stat]) => [code, stat.count])),
    duration_s: report.duration
  }) + '\n')
})
