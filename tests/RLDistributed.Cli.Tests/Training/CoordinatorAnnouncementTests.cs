using RLDistributed.Cli.Training;

namespace RLDistributed.Cli.Tests.Training;

public sealed class CoordinatorAnnouncementTests
{
    // Lines as `rld coordinator` writes them, in its two formats (taken from a run's cluster.log).
    private const string ListeningText = "[07:43:44 INF] coordinator: coordinator listening on http://127.0.0.1:44403 for run toy2d-20261204-074343 (2 workers)";
    private const string ListeningJson = """{"@t":"2026-12-04T07:44:06.3765857Z","@mt":"coordinator listening on {Address} for run {RunId} ({Workers} workers)","Address":"http://127.0.0.1:33399","RunId":"toy2d-20261204-074405","Workers":2,"EventId":{"Id":107,"Name":"Listening"},"SourceContext":"RLDistributed.Coordinator.Rendezvous.RunState","Component":"coordinator"}""";
    private const string StatusText = "[07:43:44 INF] coordinator: status page on http://127.0.0.1:39005/";
    private const string StatusJson = """{"@t":"2026-12-04T07:44:06.4695409Z","@mt":"status page on {StatusUrl}","StatusUrl":"http://127.0.0.1:40541/","EventId":{"Id":502,"Name":"StatusPageServed"},"SourceContext":"RLDistributed.Coordinator.Telemetry","Component":"coordinator"}""";

    [Theory]
    [InlineData(ListeningText, "http://127.0.0.1:44403/")]
    [InlineData(ListeningJson, "http://127.0.0.1:33399/")]
    [InlineData("[coordinator] " + ListeningJson, "http://127.0.0.1:33399/")]
    public void ListeningAddress_ReadsTextAndJsonLines(string line, string expected) =>
        Assert.Equal(new Uri(expected), CoordinatorAnnouncement.ListeningAddress(line));

    [Theory]
    [InlineData(StatusText, "http://127.0.0.1:39005/")]
    [InlineData(StatusJson, "http://127.0.0.1:40541/")]
    [InlineData("[coordinator] " + StatusText, "http://127.0.0.1:39005/")]
    [InlineData("[coordinator] " + StatusJson, "http://127.0.0.1:40541/")]
    public void StatusPage_ReadsTextAndJsonLines(string line, string expected) =>
        Assert.Equal(expected, CoordinatorAnnouncement.StatusPage(line));

    [Theory]
    [InlineData(StatusJson)]
    [InlineData(StatusText)]
    [InlineData("""{"@mt":"coordinator listening on {Address}","Address":"http://127.0.0.1:1","EventId":{"Id":999,"Name":"Other"}}""")]
    [InlineData("""{"Address":"http://127.0.0.1:1", truncated""")]
    [InlineData("[worker-0] {\"not\":\"an event\"}")]
    [InlineData("")]
    public void ListeningAddress_IgnoresOtherLines(string line) => Assert.Null(CoordinatorAnnouncement.ListeningAddress(line));
}
