using Grpc.Core;
using RLDistributed.Protos.V1;

namespace RLDistributed.Coordinator.Rendezvous;

/// <summary>
/// Field checks that need no run state: sizes, signs, finiteness and lengths of every request. They run before
/// the run's lock is taken, so a malformed request is refused with InvalidArgument and changes nothing.
/// </summary>
internal static class RequestLimits
{
    /// <summary>The largest step number accepted (far beyond any run, small enough that arithmetic on it cannot overflow).</summary>
    public const long MaxStep = 1L << 40;

    /// <summary>Entries of a per-level array in a step report (levels of the diffusion schedule).</summary>
    public const int MaxLevels = 10_000;

    /// <summary>Characters of a worker id.</summary>
    public const int MaxWorkerIdLength = 256;

    /// <summary>Characters of a leave's error text.</summary>
    public const int MaxErrorLength = 8192;

    /// <summary>Bytes of a parameter hash (SHA-256) when one is sent.</summary>
    public const int HashBytes = 32;

    public static void Check(JoinRequest request)
    {
        Generation(request.Generation);
        if (request.HeldStep is < -1 or > MaxStep) Invalid($"held_step {request.HeldStep} lies outside [-1, {MaxStep}]");
    }

    public static void Check(HeartbeatRequest beat)
    {
        Generation(beat.Generation);
        Step(beat.Step, "step", allowMinusOne: true);
        WorkerId(beat.WorkerId);
    }

    public static void Check(StepReport report)
    {
        Generation(report.Generation);
        Step(report.Step, "step", allowMinusOne: false);
        Finite(report.Loss, "loss");
        Finite(report.StepSeconds, "step_seconds");
        Finite(report.AllreduceSeconds, "allreduce_seconds");
        if (report.StepSeconds < 0 || report.AllreduceSeconds < 0) Invalid("step_seconds and allreduce_seconds must not be negative");
        if (report.AllreduceBytes < 0) Invalid($"allreduce_bytes {report.AllreduceBytes} is negative");
        var levels = report.LevelCount.Count;
        if (levels > MaxLevels) Invalid($"{levels} levels exceed {MaxLevels}");
        if (report.PositiveEnergySum.Count != levels || report.NegativeEnergySum.Count != levels)
            Invalid($"positive_energy_sum ({report.PositiveEnergySum.Count}), negative_energy_sum ({report.NegativeEnergySum.Count}) and level_count ({levels}) differ in length");
        if (report.LevelCount.Any(c => c < 0)) Invalid("level_count has a negative entry");
        if (report.PositiveEnergySum.Concat(report.NegativeEnergySum).Any(v => !double.IsFinite(v))) Invalid("an energy sum is not finite");
        if (!report.ParameterHash.IsEmpty && report.ParameterHash.Length != HashBytes)
            Invalid($"parameter_hash has {report.ParameterHash.Length} bytes; a SHA-256 has {HashBytes}");
    }

    /// <summary>Reports in one <see cref="StepReports"/> call (a worker's pending reports are capped well below it).</summary>
    public const int MaxReportsPerCall = 1024;

    public static void Check(StepReports batch)
    {
        if (batch.Reports.Count is 0 or > MaxReportsPerCall) Invalid($"{batch.Reports.Count} reports in one call; 1 to {MaxReportsPerCall} are accepted");
        foreach (var report in batch.Reports) Check(report);
    }

    public static void Check(CheckpointCommit commit)
    {
        Generation(commit.Generation);
        Step(commit.Step, "step", allowMinusOne: false);
    }

    public static void Check(LeaveRequest request)
    {
        Generation(request.Generation);
        WorkerId(request.WorkerId);
        if (request.Error.Length > MaxErrorLength) Invalid($"error of {request.Error.Length} characters exceeds {MaxErrorLength}");
    }

    private static void Generation(long generation)
    {
        if (generation < 0) Invalid($"generation {generation} is negative");
    }

    private static void Step(long step, string field, bool allowMinusOne)
    {
        var min = allowMinusOne ? -1 : 0;
        if (step < min || step > MaxStep) Invalid($"{field} {step} lies outside [{min}, {MaxStep}]");
    }

    private static void WorkerId(string workerId)
    {
        if (workerId.Length > MaxWorkerIdLength) Invalid($"worker_id of {workerId.Length} characters exceeds {MaxWorkerIdLength}");
    }

    private static void Finite(double value, string field)
    {
        if (!double.IsFinite(value)) Invalid($"{field} is not finite");
    }

    private static void Invalid(string detail) => throw new RpcException(new Status(StatusCode.InvalidArgument, detail));
}
