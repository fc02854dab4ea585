using Grpc.Core;
using RLDistributed.Coordinator.Rendezvous;
using RLDistributed.Protos.V1;

namespace RLDistributed.Coordinator.Grpc;

/// <summary>The Coordinator gRPC service: a thin layer over <see cref="RunState"/>, which validates every request.</summary>
public sealed class CoordinatorService(RunState run) : Protos.V1.Coordinator.CoordinatorBase
{
    /// <inheritdoc />
    public override Task<Assignment> Join(JoinRequest request, ServerCallContext context) => run.JoinAsync(request, context.CancellationToken);

    /// <inheritdoc />
    public override Task<HeartbeatReply> Heartbeat(HeartbeatRequest request, ServerCallContext context) =>
        Task.FromResult(run.Heartbeat(request));

    /// <inheritdoc />
    public override Task<StepAck> ReportStep(StepReport request, ServerCallContext context) =>
        Task.FromResult(run.Report(request));

    /// <inheritdoc />
    public override Task<StepAck> ReportSteps(StepReports request, ServerCallContext context) =>
        Task.FromResult(run.Report(request));

    /// <inheritdoc />
    public override Task<LeaveReply> Leave(LeaveRequest request, ServerCallContext context)
    {
        run.Leave(request);
        return Task.FromResult(new LeaveReply());
    }

    /// <inheritdoc />
    public override Task<CommitAck> CommitCheckpoint(CheckpointCommit request, ServerCallContext context)
    {
        run.Commit(request);
        return Task.FromResult(new CommitAck());
    }

    /// <inheritdoc />
    public override Task<RunStatus> GetStatus(StatusRequest request, ServerCallContext context) => Task.FromResult(run.Status());
}
