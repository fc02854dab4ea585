namespace RLDistributed.Cli.Bench;

/// <summary>
/// One all-reduce measurement (nccl-tests definitions): algbw = bytes/time, busbw = algbw·2(N−1)/N,
/// medians over the timed repeats; <see cref="BusBandwidthOfRawTcp"/> compares busbw with one raw TCP stream
/// measured in the same run, <see cref="BusBandwidthOfRawRing"/> with the per-rank rate of N raw TCP streams in a ring
/// (<see cref="RawTcpRing"/>, <see cref="RawRingMBps"/>), which is what the ranks of this N can share on this machine.
/// </summary>
public sealed record AllReduceResult(string Transport, int Workers, long Bytes, int Repeats, double MedianSeconds,
    double AlgorithmBandwidthMBps, double BusBandwidthMBps, double BusBandwidthOfRawTcp, double RawRingMBps, double BusBandwidthOfRawRing);
