using System.ComponentModel.DataAnnotations;

namespace RLDistributed.Worker.Coordination;

/// <summary>
/// Bounds of the retry, timeout and circuit-breaker pipelines around the worker's calls to the coordinator
/// and to its peers (design.md, Faults). The defaults ride out a coordinator restart of tens of seconds.
/// </summary>
public sealed record ResilienceOptions
{
    /// <summary>Retries of one call after its first attempt. Default 10.</summary>
    [Range(0, 1000)] public int MaxRetries { get; init; } = 10;

    /// <summary>First back-off delay; it doubles per retry, with jitter. Default 200 ms.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest back-off delay. Default 5 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Deadline of one attempt of a short call (heartbeat, report, leave, commit). Default 5 s.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The coordinator's circuit opens when this share of calls failed in the sampling window. Default 0.5.</summary>
    [Range(0.01, 1.0)] public double BreakerFailureRatio { get; init; } = 0.5;

    /// <summary>How long an open circuit fails calls at once before one is let through again. Default 2 s.</summary>
    public TimeSpan BreakerBreakDuration { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Throws <see cref="ValidationException"/> naming the first bad bound.</summary>
    public void Validate()
    {
        Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
        if (BaseDelay <= TimeSpan.Zero || MaxDelay < BaseDelay) throw new ValidationException("BaseDelay must be positive and at most MaxDelay");
        if (AttemptTimeout <= TimeSpan.Zero) throw new ValidationException("AttemptTimeout must be positive");
        if (BreakerBreakDuration < TimeSpan.FromMilliseconds(500)) throw new ValidationException("BreakerBreakDuration must be at least 500 ms");
    }
}
