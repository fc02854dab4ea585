using System.CommandLine;

namespace RLDistributed.Cli.Commands;

/// <summary>The top-level commands of <c>rld</c>, in help order.</summary>
public static class CommandCatalog
{
    /// <summary>Creates a fresh command tree (commands hold no state between runs).</summary>
    public static IEnumerable<Command> All()
    {
        yield return TrainCommand.Create();
        yield return SampleCommand.Create();
        yield return InspectCommand.Create();
        yield return EvalCommand.Create();
        yield return PlotCommand.Create();
        yield return CoordinatorCommand.Create();
        yield return WorkerCommand.Create();
        yield return RingCheckCommand.Create();
        yield return CertsCommand.Create();
        yield return ScheduleCommand.Create();
        yield return DataCommand.Create();
        yield return BenchCommand.Create();
    }
}
