using RLDistributed.Deploy.Tests.Support;

namespace RLDistributed.Deploy.Tests.Build;

/// <summary>
/// scripts/test-summary.sh closes `make test`: CI shows only the tail of the output, so the closing lines must
/// carry the counts summed over every TRX file and name each failed test with its message.
/// </summary>
public sealed class TestSummaryScriptTests : IDisposable
{
    private readonly DirectoryInfo _results = Directory.CreateTempSubdirectory("rld-trx-");

    [Fact]
    public async Task Summary_TwoResultFiles_SumsTheCountersAndNamesEachFailureWithItsMessage()
    {
        WriteTrx("a.trx", passed: 3, failed: 1, total: 5, executed: 4, Result("Core.Tests.A.Passes", "Passed"),
            Result("Core.Tests.LongRun(start: &quot;data&quot;)", "Failed",
                "step 9500: a mode fell below 1 %: 5.1 %, 0.8 %\nAssert.True() Failure\nExpected: True\nActual:   False"));
        WriteTrx("b.trx", passed: 2, failed: 1, total: 3, executed: 3,
            Result("Integration.Tests.Kill &amp; Rejoin", "Failed", "timed out after 30 s &lt;rank 1&gt;"));

        var lines = (await RunSummaryAsync()).TrimEnd().Split('\n');

        Assert.Equal("Tests: 5 passed, 2 failed, 1 skipped", lines[^1]);
        Assert.Equal(
        [
            "FAILED: Core.Tests.LongRun(start: \"data\")",
            "  step 9500: a mode fell below 1 %: 5.1 %, 0.8 %",
            "  Assert.True() Failure",
            "  Expected: True",
            "  Actual:   False",
            "FAILED: Integration.Tests.Kill & Rejoin",
            "  timed out after 30 s <rank 1>",
        ], lines[..^1]);
    }

    [Fact]
    public async Task Summary_NoFailures_PrintsTheCountsOnly()
    {
        WriteTrx("a.trx", passed: 2, failed: 0, total: 2, executed: 2, Result("A.One", "Passed"), Result("A.Two", "Passed"));

        Assert.Equal("Tests: 2 passed, 0 failed, 0 skipped\n", await RunSummaryAsync());
    }

    public void Dispose() => _results.Delete(recursive: true);

    private Task<string> RunSummaryAsync() => ToolRun.RunAsync("bash", [Path.Combine(RepositoryPaths.Root, "scripts", "test-summary.sh"), _results.FullName])
        .ContinueWith(run => run.Result.EnsureSuccess());

    /// <summary>A result element laid out as `dotnet test --logger trx` writes it (attributes on one line, the message over several).</summary>
    private static string Result(string name, string outcome, string? message = null) => message is null
        ? $"""    <UnitTestResult executionId="1" testName="{name}" computerName="vm" duration="00:00:00.01" outcome="{outcome}" testListId="8" />"""
        : $"""
              <UnitTestResult executionId="2" testName="{name}" computerName="vm" duration="00:00:01.5" outcome="{outcome}" testListId="8">
                <Output>
                  <StdOut>printed by the test</StdOut>
                  <ErrorInfo>
                    <Message>{message}</Message>
                    <StackTrace>   at Somewhere()</StackTrace>
                  </ErrorInfo>
                </Output>
              </UnitTestResult>
          """;

    private void WriteTrx(string file, int passed, int failed, int total, int executed, params string[] results) =>
        File.WriteAllText(Path.Combine(_results.FullName, file), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun id="1" name="@vm" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <Results>
            {string.Join('\n', results)}
              </Results>
              <ResultSummary outcome="{(failed > 0 ? "Failed" : "Completed")}">
                <Counters total="{total}" executed="{executed}" passed="{passed}" failed="{failed}" error="0" timeout="0" />
              </ResultSummary>
            </TestRun>
            """);
}
