using System.CommandLine;
using Grpc.Core;
using Grpc.Net.Client;
using RLDistributed.Cli.Deploy;
using RLDistributed.Cli.Hosting;
using RLDistributed.Hosting.Security;
using RLDistributed.Worker.Hosting;
using RLDistributed.Protos.V1;

namespace RLDistributed.Cli.Commands;

/// <summary>
/// <c>rld ring-check --coordinator URL --workers N</c>: asks a running coordinator until every worker is in
/// the ring and the ring has completed all-reduce steps (the deployment's smoke test, <c>helm test</c>).
/// Exits 0 when it has, 1 when the run is not the expected one, failed, or did not get there in time.
/// </summary>
public static class RingCheckCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var coordinator = new Option<string>("--coordinator") { Description = "Coordinator address, e.g. http://rld-coordinator:50051", Required = true };
        var workers = CommonOptions.Positive<int>("--workers", "Workers the ring must have");
        workers.Required = true;
        var runId = new Option<string?>("--run-id") { Description = "Run the coordinator must serve (default: any)" };
        var steps = CommonOptions.Positive<int>("--steps", "Steps every rank must complete after all workers are seen alive (default 2)");
        var timeout = CommonOptions.Positive<double>("--timeout", "Seconds to wait before failing (default 300)");
        var command = new Command("ring-check", "Check a deployed run: all workers joined and the ring all-reduce completes steps")
        {
            coordinator, workers, runId, steps, timeout,
        };
        // A client of the run like a worker: the same token and certificates (Rld:Worker:TokenFile, TlsCert, …).
        var security = new SecurityFlags();
        security.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var text = parse.GetValue(coordinator)!;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
                throw new CliUsageException("--coordinator", $"'{text}' is not an http(s) address");
            var check = new RingProgressCheck(parse.GetValue(runId), parse.GetValue(workers)!.Value, parse.GetValue(steps) ?? 2);
            var runSecurity = security.Read(RoleSettings.For(parse, WorkerOptions.SectionName));
            var outcome = await PollAsync(address, check, TimeSpan.FromSeconds(parse.GetValue(timeout) ?? 300), runSecurity, cancellationToken);
            Console.WriteLine($"ring-check: {outcome.Message}");
            return outcome.State == RingCheckState.Passed ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static async Task<RingCheckOutcome> PollAsync(Uri address, RingProgressCheck check, TimeSpan timeout, RunSecurity security, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = security.CreateHandler() });
        var client = new RLDistributed.Protos.V1.Coordinator.CoordinatorClient(channel);
        var deadline = DateTime.UtcNow + timeout;
        var last = new RingCheckOutcome(RingCheckState.Pending, $"no answer from {address}");
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var status = await client.GetStatusAsync(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken);
                last = check.Observe(status);
                if (last.State != RingCheckState.Pending) return last;
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
            {
                return new RingCheckOutcome(RingCheckState.Failed, $"coordinator {address} refused the check: {e.Status.Detail}");
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
            {
                // The coordinator may still be starting; the deadline bounds the wait.
                last = new RingCheckOutcome(RingCheckState.Pending, $"coordinator {address} unreachable: {e.Status.Detail}");
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
        return last with { State = RingCheckState.Failed, Message = $"not done after {timeout.TotalSeconds:0} s: {last.Message}" };
    }
}
