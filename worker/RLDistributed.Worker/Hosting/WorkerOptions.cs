using System.ComponentModel.DataAnnotations;

namespace RLDistributed.Worker.Hosting;

/// <summary>How one worker process finds the coordinator and serves its own endpoints.</summary>
public sealed record WorkerOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Rld:Worker";

    /// <summary>
    /// The default of <see cref="AllReduceOverlap"/>: off. Measured with <c>rld bench overlap</c> on 2 cores shared by
    /// both ranks (bench/RESULTS.md): the backward hid about half of fashion-mnist's all-reduce and the step waited
    /// half as long for it, with the same parameters bit for bit, but the step time did not change beyond the noise
    /// (the all-reduce is under 1% of a CPU step), and with the default 25 MiB buckets every preset but cifar10 has a
    /// single bucket, which cannot overlap anything. Until a GPU measurement shows a gain, a run asks for it.
    /// </summary>
    public const bool DefaultAllReduceOverlap = false;

    /// <summary>The coordinator's address, e.g. http://coordinator:50051.</summary>
    [Required] public required Uri Coordinator { get; init; }

    /// <summary>The run to join.</summary>
    [Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$")] public required string RunId { get; init; }

    /// <summary>This worker's stable name. Default: host name and process id.</summary>
    public string WorkerId { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Address the worker binds, and advertises to its peers unless <see cref="AdvertiseHost"/> is set. Default 127.0.0.1.</summary>
    [Required] public string Host { get; init; } = "127.0.0.1";

    /// <summary>
    /// Host name or address the peers reach this worker by, when it differs from the bound one: a pod binds
    /// 0.0.0.0 and advertises its stable name (worker-0.workers.namespace.svc). Default: <see cref="Host"/>.
    /// </summary>
    [StringLength(253, MinimumLength = 1)] public string? AdvertiseHost { get; init; }

    /// <summary>Port of the Collective gRPC service (0: any free port). Default 0.</summary>
    [Range(0, 65535)] public int CollectivePort { get; init; }

    /// <summary>Port of the tcp data plane (0: any free port). Default 0.</summary>
    [Range(0, 65535)] public int DataPort { get; init; }

    /// <summary>How long to keep trying to reach the coordinator. Default 60 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Heartbeat interval. Default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Torch device: cpu or cuda[:i]. Default cpu.</summary>
    [Required] public string Device { get; init; } = "cpu";

    /// <summary>Torch threads (null: the run spec's choice, else all cores).</summary>
    [Range(1, 1024)] public int? Threads { get; init; }

    /// <summary>Retry, timeout and circuit-breaker bounds of calls to the coordinator and to peers.</summary>
    public Coordination.ResilienceOptions Resilience { get; init; } = new();

    /// <summary>The run token and TLS of every call this worker makes and serves. Default: none (loopback tests).</summary>
    public RLDistributed.Hosting.Security.RunSecurity Security { get; init; } = RLDistributed.Hosting.Security.RunSecurity.None;

    /// <summary>Consecutive generations that may end without a completed step before the worker gives up. Default 20.</summary>
    [Range(1, 10_000)] public int MaxFruitlessGenerations { get; init; } = 20;

    /// <summary>Port of the HTTP/1.1 metrics endpoint, GET /metrics in Prometheus text (0: any free port; null: none). Default null.</summary>
    [Range(0, 65535)] public int? MetricsPort { get; init; }

    /// <summary>
    /// Start each gradient bucket's all-reduce as soon as the backward has finished its gradients, while autograd
    /// computes the rest, instead of after the backward. The sums are bitwise the same either way, so ranks may differ;
    /// off is the fallback and the baseline of <c>rld bench overlap</c>. Default false (see <see cref="DefaultAllReduceOverlap"/>).
    /// </summary>
    public bool AllReduceOverlap { get; init; } = DefaultAllReduceOverlap;

    /// <summary>An all-reduce still running after this long is reported as stuck, with the rank and its sequence number. Default 120 s.</summary>
    public TimeSpan CollectiveDeadline { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// The shortest time between two step-report calls to the coordinator: steps done meanwhile go together in the
    /// next call. At 100 ms a worker makes at most 10 calls a second, however fast its steps; every step still reaches
    /// the coordinator. Zero: a call as soon as the previous one is answered. Default 100 ms, at most 10 s.
    /// </summary>
    public TimeSpan StepReportInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Test hook: sleep this long in every step's compute phase, so that this rank becomes a straggler. Never
    /// set it in a real run. Default zero.
    /// </summary>
    public TimeSpan DebugStepDelay { get; init; }

    /// <summary>Throws <see cref="ValidationException"/> naming the first bad option.</summary>
    public void Validate()
    {
        Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
        Resilience.Validate();
        if (CollectiveDeadline <= TimeSpan.Zero) throw new ValidationException($"CollectiveDeadline ({CollectiveDeadline}) must be positive");
        if (DebugStepDelay < TimeSpan.Zero) throw new ValidationException($"DebugStepDelay ({DebugStepDelay}) must not be negative");
        if (StepReportInterval < TimeSpan.Zero || StepReportInterval > TimeSpan.FromSeconds(10))
            throw new ValidationException($"StepReportInterval ({StepReportInterval}) must lie between 0 and 10 s");
    }
}
