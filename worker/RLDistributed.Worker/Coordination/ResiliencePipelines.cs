using Grpc.Core;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace RLDistributed.Worker.Coordination;

/// <summary>
/// The Polly v8 pipelines of a worker: retry with exponential back-off and jitter on transient statuses
/// (Unavailable, DeadlineExceeded, ResourceExhausted), a timeout per attempt, and a circuit breaker in front
/// of the coordinator so that a dead coordinator is not hammered by every beat and report.
/// </summary>
public sealed class ResiliencePipelines
{
    /// <summary>Builds the pipelines from <paramref name="options"/> (validated here).</summary>
    public ResiliencePipelines(ResilienceOptions options, TimeProvider time)
    {
        options.Validate();
        var breaker = new CircuitBreakerStrategyOptions
        {
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = 4,
            SamplingDuration = TimeSpan.FromSeconds(10),
            BreakDuration = options.BreakerBreakDuration,
            ShouldHandle = new PredicateBuilder().Handle<RpcException>(IsTransient).Handle<TimeoutRejectedException>(),
        };
        Coordinator = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(Retry(options))
            .AddCircuitBreaker(breaker)
            .AddTimeout(options.AttemptTimeout)
            .Build();
        // Join waits through a whole rendezvous: no per-attempt timeout, and its own breaker-free retry.
        Join = new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(Retry(options)).Build();
        Peer = new ResiliencePipelineBuilder { TimeProvider = time }.AddRetry(Retry(options)).Build();
    }

    /// <summary>Heartbeats, reports, commits and leaves.</summary>
    public ResiliencePipeline Coordinator { get; }

    /// <summary>Join (long-blocking by design).</summary>
    public ResiliencePipeline Join { get; }

    /// <summary>Calls to ring peers (the state fetch).</summary>
    public ResiliencePipeline Peer { get; }

    /// <summary>Statuses worth another attempt.</summary>
    public static bool IsTransient(RpcException e) => e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted;

    private static RetryStrategyOptions Retry(ResilienceOptions options) => new()
    {
        MaxRetryAttempts = Math.Max(options.MaxRetries, 0) is var n && n == 0 ? 1 : n,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = options.BaseDelay,
        MaxDelay = options.MaxDelay,
        ShouldHandle = options.MaxRetries == 0
            ? new PredicateBuilder().Handle<NeverThrown>()
            : new PredicateBuilder().Handle<RpcException>(IsTransient).Handle<TimeoutRejectedException>().Handle<BrokenCircuitException>(),
    };

    /// <summary>Stands for "retry nothing" (Polly needs at least one attempt in its options).</summary>
    private sealed class NeverThrown : Exception;
}
