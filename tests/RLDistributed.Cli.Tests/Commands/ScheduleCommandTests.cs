using System.Text.Json;

namespace RLDistributed.Cli.Tests.Commands;

public sealed class ScheduleCommandTests
{
    [Fact]
    public async Task Schedule_Json_GivesTheSpecTableWithItsKeys()
    {
        var result = await RldProcess.RunAsync("schedule", "--levels", "6", "--json");

        Assert.Equal(0, result.ExitCode);
        using var document = JsonDocument.Parse(result.Output);
        var rows = document.RootElement.EnumerateArray().ToArray();
        Assert.Equal(7, rows.Length);
        Assert.All(rows, row => Assert.Equal(
            new[] { "t", "a", "sigma", "alphaBar", "sigmaBar", "stepSize", "weight" },
            row.EnumerateObject().Select(p => p.Name).ToArray()));
        Assert.Equal(0.1386, rows[5].GetProperty("stepSize").GetDouble(), 4);
        Assert.Equal(0.627, rows[1].GetProperty("weight").GetDouble(), 3);
        Assert.Equal(0.7734, rows[5].GetProperty("sigma").GetDouble(), 4);
        Assert.Equal(JsonValueKind.Null, rows[6].GetProperty("stepSize").ValueKind);
    }
}
