using System.Globalization;
using System.Text.Json.Serialization;
using RLDistributed.Cli.Commands;

namespace RLDistributed.Cli.Bench;

/// <summary>
/// The training iteration of a preset timed by <c>rld bench step</c> and by its PyTorch peer
/// (bench/peers/drl_toy2d_step.py for toy2d, drl_image_step.py for the image presets) on the same batch and
/// thread count, alternating so that both see the same machine. PyTorch runs with OMP_NUM_THREADS set to the thread count and
/// OPENBLAS_NUM_THREADS at most that (Debian's OpenBLAS otherwise starts a thread per core of its own). With more than one thread
/// the peer also runs with a one-thread OpenBLAS and the faster of the two counts: OpenBLAS's own threads busy-wait against
/// torch's OpenMP threads (toy2d at 2 threads: 373 ms with both at 2, 126 ms with OpenBLAS at 1), and the comparison is
/// against PyTorch at its best on the machine.
/// </summary>
public static class PeerComparison
{
    /// <summary>Median of the per-round medians, ours and the peer's; both sides run the same untimed warm-up iterations.</summary>
    public static async Task<PeerComparisonResult> RunAsync(string python, string preset, string schedulePath, int batch, int threads, int warmup, int repeats,
        int rounds, CancellationToken cancellationToken)
    {
        var (self, prefix) = ChildJson.Self();
        var ours = new List<double>();
        var theirs = new List<double>();
        var singleBlasTimes = new List<double>();
        var count = threads.ToString(CultureInfo.InvariantCulture);
        var warmupText = warmup.ToString(CultureInfo.InvariantCulture);
        for (var round = 0; round < rounds; round++)
        {
            var step = await ChildJson.RunAsync<StepBenchResult>(self, [.. prefix, "bench", "step", "--preset", preset, "--batch", batch.ToString(CultureInfo.InvariantCulture),
                "--threads", count, "--warmup", warmupText, "--repeats", repeats.ToString(CultureInfo.InvariantCulture), "--json"], null, cancellationToken).ConfigureAwait(false);
            ours.Add(step.MedianMs);
            var peer = await ChildJson.RunAsync<PeerStep>(python, [ScriptFor(preset), "--schedule", schedulePath, "--batch", batch.ToString(CultureInfo.InvariantCulture),
                "--threads", count, "--warmup", warmupText, "--repeats", repeats.ToString(CultureInfo.InvariantCulture)],
                new Dictionary<string, string> { ["OPENBLAS_NUM_THREADS"] = count, ["OMP_NUM_THREADS"] = count }, cancellationToken).ConfigureAwait(false);
            theirs.Add(peer.MedianMs);
            if (threads > 1)
            {
                var singleBlas = await ChildJson.RunAsync<PeerStep>(python, [ScriptFor(preset), "--schedule", schedulePath, "--batch", batch.ToString(CultureInfo.InvariantCulture),
                    "--threads", count, "--warmup", warmupText, "--repeats", repeats.ToString(CultureInfo.InvariantCulture)],
                    new Dictionary<string, string> { ["OPENBLAS_NUM_THREADS"] = "1", ["OMP_NUM_THREADS"] = count }, cancellationToken).ConfigureAwait(false);
                singleBlasTimes.Add(singleBlas.MedianMs);
            }
        }
        var ourMedian = BenchStatistics.Median(ours);
        var peerMedian = BenchStatistics.Median(theirs);
        var blasThreads = threads;
        if (singleBlasTimes.Count > 0 && BenchStatistics.Median(singleBlasTimes) < peerMedian)
        {
            peerMedian = BenchStatistics.Median(singleBlasTimes);
            blasThreads = 1;
        }
        return new PeerComparisonResult(preset, batch, threads, ourMedian, peerMedian, ourMedian / peerMedian, blasThreads);
    }

    /// <summary>The peer script of a preset (relative to the repository root).</summary>
    public static string ScriptFor(string preset) =>
        Path.Combine("bench", "peers", preset == "toy2d" ? "drl_toy2d_step.py" : "drl_image_step.py");

    private sealed record PeerStep([property: JsonPropertyName("medianMs")] double MedianMs);
}

/// <summary>
/// One preset, batch and thread count: our median iteration, PyTorch's, and the ratio (≤ 1: we are at least as fast);
/// <paramref name="PyTorchBlasThreads"/> is the OPENBLAS_NUM_THREADS of the PyTorch figure.
/// </summary>
public sealed record PeerComparisonResult(string Preset, int Batch, int Threads, double RldMs, double PyTorchMs, double Ratio, int PyTorchBlasThreads);
