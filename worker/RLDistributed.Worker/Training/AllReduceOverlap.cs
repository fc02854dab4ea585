namespace RLDistributed.Worker.Training;

/// <summary>How one step's overlapped all-reduce went.</summary>
/// <param name="BytesSent">What this rank sent: 2(N−1)/N of the gradient bytes (nccl-tests' bus traffic).</param>
/// <param name="Buckets">Buckets reduced.</param>
/// <param name="BucketsReadyDuringBackward">Buckets whose every gradient the backward handed over before it returned.</param>
/// <param name="CommunicationSeconds">Time the ring spent on the buckets, summed (one bucket at a time).</param>
/// <param name="HiddenSeconds">The part of <paramref name="CommunicationSeconds"/> before the backward returned.</param>
/// <param name="WindowSeconds">From the moment bucket 0 was ready to the end of the backward: the most the ring could
/// hide (0 when the backward left every bucket to the end).</param>
/// <param name="Started">When the first bucket went to the ring.</param>
public sealed record AllReduceOverlap(
    long BytesSent, int Buckets, int BucketsReadyDuringBackward, double CommunicationSeconds, double HiddenSeconds, double WindowSeconds, DateTimeOffset Started)
{
    /// <summary>Hidden over communication time; 0 when nothing was communicated.</summary>
    public double HiddenFraction => CommunicationSeconds > 0 ? HiddenSeconds / CommunicationSeconds : 0;
}
