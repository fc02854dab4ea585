using System.Globalization;
using System.Text.Json.Serialization;
using RLDistributed.Cli.Commands;

namespace RLDistributed.Cli.Bench;

/// <summary>
/// The training iteration of a preset timed by <c>rld bench step</c> and by the PyTorch peer
/// (bench/peers/drl_toy2d_step.py) on the same batch and thread count, alternating so that both see the same
/// machine. PyTorch runs with OPENBLAS_NUM_THREADS and OMP_NUM_THREADS set to the thread count: Debian's
/// OpenBLAS otherwise starts a thread per core of its own.
/// </summary>
public static class PeerComparison
{
    /// <summary>Median of the per-round medians, ours and the peer's.</summary>
    public static async Task<PeerComparisonResult> RunAsync(string python, string peerScript, string schedulePath, int batch, int threads, int repeats, int rounds,
        CancellationToken cancellationToken)
    {
        var (self, prefix) = ChildJson.Self();
        var ours = new List<double>();
        var theirs = new List<double>();
        var count = threads.ToString(CultureInfo.InvariantCulture);
        for (var round = 0; round < rounds; round++)
        {
            var step = await ChildJson.RunAsync<StepBenchResult>(self, [.. prefix, "bench", "step", "--preset", "toy2d", "--batch", batch.ToString(CultureInfo.InvariantCulture),
                "--threads", count, "--repeats", repeats.ToString(CultureInfo.InvariantCulture), "--json"], null, cancellationToken).ConfigureAwait(false);
            ours.Add(step.MedianMs);
            var peer = await ChildJson.RunAsync<PeerStep>(python, [peerScript, "--schedule", schedulePath, "--batch", batch.ToString(CultureInfo.InvariantCulture),
                "--threads", count, "--repeats", repeats.ToString(CultureInfo.InvariantCulture)],
                new Dictionary<string, string> { ["OPENBLAS_NUM_THREADS"] = count, ["OMP_NUM_THREADS"] = count }, cancellationToken).ConfigureAwait(false);
            theirs.Add(peer.MedianMs);
        }
        var ourMedian = BenchStatistics.Median(ours);
        var peerMedian = BenchStatistics.Median(theirs);
        return new PeerComparisonResult("toy2d", batch, threads, ourMedian, peerMedian, ourMedian / peerMedian);
    }

    private sealed record PeerStep([property: JsonPropertyName("medianMs")] double MedianMs);
}

/// <summary>One preset, batch and thread count: our median iteration, PyTorch's, and the ratio (≤ 1: we are at least as fast).</summary>
public sealed record PeerComparisonResult(string Preset, int Batch, int Threads, double RldMs, double PyTorchMs, double Ratio);
