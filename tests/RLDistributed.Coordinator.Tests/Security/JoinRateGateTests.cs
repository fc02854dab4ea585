using Microsoft.Extensions.Time.Testing;
using RLDistributed.Coordinator.Rendezvous;

namespace RLDistributed.Coordinator.Tests.Security;

public sealed class JoinRateGateTests
{
    [Fact]
    public void TryEnter_BeyondTheRateWithinOneSecond_Refused_AndAllowedAgainAfterIt()
    {
        var time = new FakeTimeProvider();
        var gate = new JoinRateGate(3, time);

        var first = Enumerable.Range(0, 3).Select(_ => gate.TryEnter()).ToArray();
        var fourth = gate.TryEnter();
        time.Advance(TimeSpan.FromMilliseconds(999));
        var stillWithin = gate.TryEnter();
        time.Advance(TimeSpan.FromMilliseconds(1));
        var after = gate.TryEnter();

        Assert.All(first, Assert.True);
        Assert.False(fourth);
        Assert.False(stillWithin);
        Assert.True(after);
    }

    [Fact]
    public void Validate_MaxJoinsPerSecondZero_NamesTheOption()
    {
        var options = new CoordinatorOptions { RunId = "run-a", Workers = 2, OptionsJson = "{}", OutputDirectory = "/tmp/out", MaxJoinsPerSecond = 0 };

        var error = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(options.Validate);

        Assert.Contains(nameof(CoordinatorOptions.MaxJoinsPerSecond), error.Message, StringComparison.Ordinal);
    }
}
