using System.Diagnostics;

namespace RLDistributed.Cli.Bench;

/// <summary>
/// Measures the ring all-reduce over both transports for several world sizes and buffer sizes, next to two references
/// measured in the same run (method in bench/README.md): raw single-stream loopback TCP, and a ring of N raw TCP streams
/// moving the same bytes per rank at once (<see cref="RawTcpRing"/>), the bound of any ring on this machine.
/// </summary>
public static class AllReduceBenchmark
{
    /// <summary>Runs every combination; <paramref name="report"/> hears each result as it comes.</summary>
    public static async Task<(double RawTcpMBps, List<AllReduceResult> Results)> RunAsync(
        IReadOnlyList<string> transports, IReadOnlyList<int> workers, IReadOnlyList<int> sizesMiB, int repeats,
        Action<AllReduceResult> report, CancellationToken cancellationToken)
    {
        // Raw TCP first and last, so that the reference sees the same machine state as the ring runs around it.
        var rawSamples = new List<double> { RawTcpThroughput.Measure(256L << 20), RawTcpThroughput.Measure(256L << 20) };
        var ringSamples = workers.Distinct().ToDictionary(n => n, n => new List<double> { RawTcpRing.Measure(n, RingBytesPerRank), RawTcpRing.Measure(n, RingBytesPerRank) });
        var results = new List<(string, int, long, int, double)>();
        foreach (var transport in transports)
        {
            foreach (var n in workers)
            {
                await using var ring = await LoopbackRing.StartAsync(n, transport, cancellationToken).ConfigureAwait(false);
                foreach (var mib in sizesMiB)
                {
                    var floats = (mib << 20) / sizeof(float);
                    var buffers = Enumerable.Range(0, n).Select(r => Enumerable.Repeat((float)r, floats).ToArray()).ToArray();
                    await ring.AllReduceAsync(buffers, cancellationToken).ConfigureAwait(false); // warm-up: JIT, pools, windows
                    var seconds = new List<double>();
                    // Small buffers take a few milliseconds, where one late thread wakeup on a busy machine is a third
                    // of the time: repeat until the timed runs move at least 64 MiB, for a median that means something.
                    var timed = Math.Max(repeats, (int)Math.Ceiling(64.0 / mib));
                    for (var i = 0; i < timed; i++)
                    {
                        var clock = Stopwatch.StartNew();
                        await ring.AllReduceAsync(buffers, cancellationToken).ConfigureAwait(false);
                        seconds.Add(clock.Elapsed.TotalSeconds);
                    }
                    results.Add((transport, n, (long)floats * sizeof(float), timed, BenchStatistics.Median(seconds)));
                    report(Describe(results[^1], rawSamples.Average(), ringSamples[n].Average()));
                }
            }
        }
        rawSamples.Add(RawTcpThroughput.Measure(256L << 20));
        foreach (var (n, samples) in ringSamples) samples.Add(RawTcpRing.Measure(n, RingBytesPerRank));
        var raw = BenchStatistics.Median(rawSamples);
        var rings = ringSamples.ToDictionary(pair => pair.Key, pair => BenchStatistics.Median(pair.Value));
        return (raw, results.Select(r => Describe(r, raw, rings[r.Item2])).ToList());
    }

    // Per rank, as much as one single-stream reference moves: long enough that connection set-up does not count.
    private const long RingBytesPerRank = 256L << 20;

    private static AllReduceResult Describe((string Transport, int Workers, long Bytes, int Repeats, double Seconds) r, double rawMBps, double ringMBps)
    {
        var algbw = r.Bytes / r.Seconds / 1e6;
        var busbw = algbw * 2.0 * (r.Workers - 1) / r.Workers;
        return new AllReduceResult(r.Transport, r.Workers, r.Bytes, r.Repeats, r.Seconds, algbw, busbw, busbw / rawMBps, ringMBps, busbw / ringMBps);
    }

}
