namespace RLDistributed.Worker.Hosting;

/// <summary>The worker was stopped by a signal and has already told the coordinator.</summary>
internal sealed class WorkerStoppedException() : Exception("the worker was stopped and has left its run");
