using System.ComponentModel.DataAnnotations;

namespace RLDistributed.Coordinator;

/// <summary>One run's coordinator: who may join, how many, and what they are told.</summary>
public sealed record CoordinatorOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Rld:Coordinator";

    /// <summary>The run id every request must carry.</summary>
    [Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "RunId must be 1–64 letters, digits, '.', '_' or '-'")]
    public required string RunId { get; init; }

    /// <summary>Rendezvous size: the run starts when this many workers have joined.</summary>
    [Range(1, 1024)] public required int Workers { get; init; }

    /// <summary>The run's options (a RunSpec as JSON), handed to every worker unchanged.</summary>
    [Required(AllowEmptyStrings = false)] public required string OptionsJson { get; init; }

    /// <summary>Gradient data plane: tcp (default) or grpc.</summary>
    [Required, RegularExpression("^(tcp|grpc)$", ErrorMessage = "Transport must be tcp or grpc")] public string Transport { get; init; } = "tcp";

    /// <summary>Where rank 0 writes the model and pictures.</summary>
    [Required] public required string OutputDirectory { get; init; }

    /// <summary>Address to bind. Default 127.0.0.1.</summary>
    [Required] public string Host { get; init; } = "127.0.0.1";

    /// <summary>Port (0: any free port). Default 0.</summary>
    [Range(0, 65535)] public int Port { get; init; }

    /// <summary>Interval at which workers beat. Default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A worker is dead after this many intervals without a beat. Default 3.</summary>
    [Range(1, 1000)] public int MissedHeartbeatsBeforeDead { get; init; } = 3;

    /// <summary>How long the rendezvous may wait for the last worker before the run fails. Default 5 min.</summary>
    public TimeSpan RendezvousTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The run fails when fewer workers than this remain after a failure. Default 1.</summary>
    [Range(1, 1024)] public int MinWorkers { get; init; } = 1;

    /// <summary>How many times workers may come back after being declared dead before the run fails (membership changes do not count). Default 10.</summary>
    [Range(0, 100_000)] public int MaxRestarts { get; init; } = 10;

    /// <summary>Where rank 0 writes checkpoints and the coordinator its journal (null: no checkpoints, no journal).</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>A verified checkpoint to start from when no worker holds state (null: step 0).</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>The step of <see cref="ResumeFrom"/>.</summary>
    [Range(0, long.MaxValue)] public long ResumeStep { get; init; }

    /// <summary>Joins accepted in any one second; more are refused with Unavailable (workers retry). Default 50.</summary>
    [Range(1, 100_000)] public int MaxJoinsPerSecond { get; init; } = 50;

    /// <summary>The run token and TLS of the coordinator's endpoint. Default: none (loopback tests).</summary>
    public RLDistributed.Hosting.Security.RunSecurity Security { get; init; } = RLDistributed.Hosting.Security.RunSecurity.None;

    /// <summary>Throws <see cref="ValidationException"/> naming the first bad option.</summary>
    public void Validate()
    {
        Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
        if (MinWorkers > Workers) throw new ValidationException($"MinWorkers ({MinWorkers}) cannot exceed Workers ({Workers})");
    }
}
