namespace RLDistributed.Cli.Bench;

/// <summary>
/// One all-reduce measurement (nccl-tests definitions): algbw = bytes/time, busbw = algbw·2(N−1)/N,
/// medians over the timed repeats; <see cref="BusBandwidthOfRawTcp"/> compares busbw with one raw TCP stream
/// measured in the same run.
/// </summary>
public sealed record AllReduceResult(string Transport, int Workers, long Bytes, int Repeats, double MedianSeconds,
    double AlgorithmBandwidthMBps, double BusBandwidthMBps, double BusBandwidthOfRawTcp);
