using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RLDistributed.IntegrationTests.Observability;

/// <summary>
/// Traces, metrics, logs, stragglers and the status page of one live 2-worker run (see <see cref="ObservedRun"/>),
/// each checked where a user would look: the OTLP receiver's API, the Prometheus endpoints, the JSON log lines,
/// /status, and the page in a real browser.
/// </summary>
public sealed partial class ObservabilityTests(ObservedRun run) : IClassFixture<ObservedRun>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [DashboardFact]
    public async Task Traces_TwoWorkerRun_WorkerStepAndCoordinatorSpansShareOneTrace_AllReduceCarriesBytes()
    {
        var deadline = DateTime.UtcNow + Patience;
        string verdict;
        do
        {
            var spans = Spans(JsonDocument.Parse(await run.Dashboard!.TracesJsonAsync(run.Http)));
            verdict = Judge(spans);
            if (verdict.Length == 0) return;
            await Task.Delay(1000);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail(verdict + "\n" + run.Log);

        static string Judge(List<Span> spans)
        {
            if (spans.Count == 0) return "the dashboard holds no spans";
            var joins = spans.Where(s => s.Name == "join" && s.Service == "rld-worker").ToList();
            var rendezvous = spans.Where(s => s.Name == "rendezvous" && s.Service == "rld-coordinator").ToList();
            if (!rendezvous.Any(r => joins.Any(j => j.TraceId == r.TraceId && Descends(spans, r, j))))
                return $"no coordinator rendezvous span descends from a worker's join span ({joins.Count} joins, {rendezvous.Count} rendezvous)";
            var steps = spans.Where(s => s.Name == "train.step" && s.Service == "rld-worker").ToList();
            if (steps.Count == 0) return "no train.step span from a worker";
            foreach (var trace in spans.GroupBy(s => s.TraceId))
            {
                var step = trace.FirstOrDefault(s => s.Name == "train.step" && s.Service == "rld-worker");
                var coordinatorSpan = trace.FirstOrDefault(s => s.Service == "rld-coordinator" && s.Name == "step.report");
                var allReduce = trace.FirstOrDefault(s => s.Name == "allreduce" && s.ParentSpanId == step?.SpanId);
                if (step is null || coordinatorSpan is null || allReduce is null) continue;
                // A real tree across processes: the coordinator's span descends from the worker's step span.
                if (!Descends([.. trace], coordinatorSpan, step)) return $"trace {trace.Key}: the coordinator's step.report does not descend from the worker's train.step";
                Assert.True(long.Parse(allReduce.Attributes["rld.allreduce.bytes"]) > 0, "allreduce without bytes");
                Assert.True(long.Parse(allReduce.Attributes["rld.allreduce.buckets"]) >= 1);
                Assert.True(double.Parse(allReduce.Attributes["rld.allreduce.busbw"]) > 0);
                Assert.Contains(trace, s => s.Name == "langevin" && s.Service == "rld-worker");
                Assert.Contains(trace, s => s.Name == "forward_backward");
                Assert.Contains(trace, s => s.Name == "optimizer");
                Assert.Equal("2", step.Attributes["rld.world_size"]);
                return "";
            }
            return $"no trace holds a worker's train.step with its allreduce and the coordinator's step.report ({spans.Count} spans in {spans.Select(s => s.TraceId).Distinct().Count()} traces)";
        }
    }

    [Fact]
    public async Task Metrics_PrometheusEndpoints_ExposeTheExpectedNamesAndLabels()
    {
        await run.WaitForStepAsync(15, Patience);
        var coordinator = await run.Http.GetStringAsync(new Uri(run.CoordinatorMetrics, "/metrics"));
        Assert.Matches(new Regex(@"^rld_workers_alive(\{[^}]*\})? 2\b", RegexOptions.Multiline), coordinator);
        Assert.Matches(new Regex(@"^rld_run_generation(\{[^}]*\})? 1\b", RegexOptions.Multiline), coordinator);
        Assert.Matches(new Regex(@"^rld_run_restarts_total(\{[^}]*\})? 0\b", RegexOptions.Multiline), coordinator);
        Assert.Matches(new Regex(@"^rld_run_membership_changes_total(\{[^}]*\})? 0\b", RegexOptions.Multiline), coordinator);
        Assert.Matches(new Regex(@"^rld_run_energy_gap\{[^}]*level=""0""", RegexOptions.Multiline), coordinator);
        Assert.Matches(new Regex(@"^rld_rank_compute_seconds\{[^}]*rank=""1""", RegexOptions.Multiline), coordinator);
        Assert.Matches(new Regex(@"^rld_run_samples_per_second(\{[^}]*\})? [1-9]", RegexOptions.Multiline), coordinator);

        for (var rank = 0; rank < 2; rank++)
        {
            var worker = await run.Http.GetStringAsync(new Uri(run.Workers[rank].Metrics, "/metrics"));
            Assert.Matches(new Regex($@"^rld_step_duration_seconds_count\{{[^}}]*rank=""{rank}""[^}}]*\}} [1-9]", RegexOptions.Multiline), worker);
            Assert.Matches(new Regex($@"^rld_train_loss\{{[^}}]*rank=""{rank}""", RegexOptions.Multiline), worker);
            Assert.Matches(new Regex(@"^rld_train_energy_gap\{[^}]*level=""\d""", RegexOptions.Multiline), worker);
            Assert.Matches(new Regex(@"^rld_train_samples_per_second\{", RegexOptions.Multiline), worker);
            Assert.Matches(new Regex(@"^rld_allreduce_busbw_bytes_per_second\{[^}]*\} [1-9]", RegexOptions.Multiline), worker);
            Assert.Matches(new Regex(@"^rld_allreduce_duration_seconds_bucket\{", RegexOptions.Multiline), worker);
        }
    }

    [Fact]
    public async Task Logs_WorkerJsonLine_CarriesRunIdRankGenerationStepAndTraceId()
    {
        await run.WaitForStepAsync(5, Patience);
        var worker = run.Workers[1].Process;
        var stepLines = worker.Lines().Where(l => l.StartsWith('{') && l.Contains("\"StepDone\"", StringComparison.Ordinal)).ToList();
        Assert.True(stepLines.Count > 0, "no JSON StepDone line from worker 1:\n" + worker.Output);
        using var line = JsonDocument.Parse(stepLines[^1]);
        var root = line.RootElement;
        Assert.Equal(ObservedRun.RunId, root.GetProperty("RunId").GetString());
        Assert.Equal(1, root.GetProperty("Rank").GetInt32());
        Assert.Equal(1, root.GetProperty("Generation").GetInt64());
        Assert.True(root.GetProperty("Step").GetInt64() >= 1);
        Assert.Matches("^[0-9a-f]{32}$", root.GetProperty("TraceId").GetString());
        Assert.Matches("^[0-9a-f]{16}$", root.GetProperty("SpanId").GetString());
    }

    [Fact]
    public async Task Stragglers_SlowedWorker_IsFlaggedInTheLogTheStatusAndTheMetrics()
    {
        var line = await run.Coordinator.WaitForLineAsync("is a straggler", Patience);
        Assert.Contains("rank 1 is a straggler", line);
        var deadline = DateTime.UtcNow + Patience;
        JsonElement status;
        do
        {
            status = await run.StatusAsync();
            if (status.GetProperty("stragglers").EnumerateArray().Select(e => e.GetInt32()).SequenceEqual([1])) break;
            await Task.Delay(500);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Equal([1], status.GetProperty("stragglers").EnumerateArray().Select(e => e.GetInt32()));
        var workers = status.GetProperty("workers").EnumerateArray().ToDictionary(w => w.GetProperty("rank").GetInt32());
        Assert.Equal("straggler", workers[1].GetProperty("health").GetString());
        Assert.Equal("ok", workers[0].GetProperty("health").GetString());
        var metrics = await run.Http.GetStringAsync(new Uri(run.CoordinatorMetrics, "/metrics"));
        Assert.Matches(new Regex(@"^rld_rank_straggler\{[^}]*rank=""1""[^}]*\} 1\b", RegexOptions.Multiline), metrics);
        Assert.Matches(new Regex(@"^rld_rank_straggler\{[^}]*rank=""0""[^}]*\} 0\b", RegexOptions.Multiline), metrics);
    }

    [ChromiumFact]
    public async Task StatusPage_InHeadlessChromium_ShowsTheWorkersAndALossChart()
    {
        await run.WaitForStepAsync(20, Patience);
        var page = new Uri(run.CoordinatorMetrics, "/");
        var dom = await Chromium.DumpDomAsync(page, TimeSpan.FromSeconds(5), run.Profile);

        Assert.Contains($"<span id=\"run-id\">{ObservedRun.RunId}</span>", dom);
        var rows = WorkerRow().Matches(dom);
        Assert.Equal(["0", "1"], rows.Select(m => m.Groups[1].Value).Order());
        Assert.Contains("observed-0", dom);
        Assert.Contains("observed-1", dom);
        var lossChart = dom[dom.IndexOf("id=\"loss-chart\"", StringComparison.Ordinal)..];
        lossChart = lossChart[..lossChart.IndexOf("</svg>", StringComparison.Ordinal)];
        var polyline = LossLine().Match(lossChart);
        Assert.True(polyline.Success, "the loss chart has no line:\n" + lossChart);
        Assert.True(polyline.Groups[1].Value.Split(' ').Length >= 10, "the loss line has fewer than 10 points");

        var screenshot = Path.Combine(run.Output, "status-page.png");
        Directory.CreateDirectory(run.Output);
        await Chromium.ScreenshotAsync(page, screenshot, TimeSpan.FromSeconds(5), run.Profile);
        var png = await File.ReadAllBytesAsync(screenshot);
        Assert.True(png.Length > 10_000, $"the screenshot is only {png.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        var kept = Environment.GetEnvironmentVariable("RLD_TEST_SCREENSHOT_DIR");
        if (!string.IsNullOrEmpty(kept)) File.Copy(screenshot, Path.Combine(kept, "status-page.png"), overwrite: true);
    }

    [Fact]
    public async Task StatusEndpoints_AreReadOnly_ChangingRequestsAreRefused()
    {
        using var post = await run.Http.PostAsync(new Uri(run.CoordinatorMetrics, "/status"), new StringContent("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        using var delete = await run.Http.DeleteAsync(new Uri(run.CoordinatorMetrics, "/"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, delete.StatusCode);
        Assert.Equal("running", (await run.StatusAsync()).GetProperty("state").GetString());
    }

    /// <summary>Whether <paramref name="span"/> has <paramref name="ancestor"/> among its ancestors in <paramref name="spans"/>.</summary>
    private static bool Descends(List<Span> spans, Span span, Span ancestor)
    {
        var byId = spans.Where(s => s.TraceId == span.TraceId).GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        for (var current = byId.GetValueOrDefault(span.ParentSpanId); current is not null; current = byId.GetValueOrDefault(current.ParentSpanId))
            if (current.SpanId == ancestor.SpanId) return true;
        return false;
    }

    private sealed record Span(string Service, string Name, string TraceId, string SpanId, string ParentSpanId, Dictionary<string, string> Attributes);

    /// <summary>The spans of the dashboard's OTLP JSON (resourceSpans → scopeSpans → spans).</summary>
    private static List<Span> Spans(JsonDocument traces)
    {
        var spans = new List<Span>();
        foreach (var resource in traces.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var service = Attributes(resource.GetProperty("resource")).GetValueOrDefault("service.name", "");
            foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
            foreach (var span in scope.GetProperty("spans").EnumerateArray())
            {
                spans.Add(new Span(service, span.GetProperty("name").GetString()!, span.GetProperty("traceId").GetString()!, span.GetProperty("spanId").GetString()!,
                    span.TryGetProperty("parentSpanId", out var parent) ? parent.GetString() ?? "" : "", Attributes(span)));
            }
        }
        return spans;
    }

    private static Dictionary<string, string> Attributes(JsonElement owner)
    {
        var attributes = new Dictionary<string, string>();
        if (!owner.TryGetProperty("attributes", out var list)) return attributes;
        foreach (var attribute in list.EnumerateArray())
        {
            var value = attribute.GetProperty("value").EnumerateObject().First().Value;
            attributes[attribute.GetProperty("key").GetString()!] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        }
        return attributes;
    }

    [GeneratedRegex(@"<tr class=""worker"" data-rank=""(\d+)"">")]
    private static partial Regex WorkerRow();

    [GeneratedRegex(@"<polyline points=""([^""]+)""[^>]*class=""series""")]
    private static partial Regex LossLine();
}
