using RLDistributed.Core.Diffusion;

namespace RLDistributed.Core.Tests.Diffusion;

/// <summary>The T = 6 table of drl-spec.md §1–§3, to 1e-4 (the spec prints 3–4 significant digits).</summary>
public sealed class DiffusionScheduleTests
{
    private static readonly DiffusionSchedule T6 = DiffusionSchedule.Create(6);

    public static TheoryData<string, double[]> SpecTable => new()
    {
        { "a", [.99995, .9462, .8563, .7748, .7009, .6340, .02278] },
        { "sigma", [.0100, .3237, .5165, .6322, .7132, .7734, .9997] },
        { "alphaBar", [.9999, .9461, .8102, .6277, .4400, .2789, .00635] },
        { "sigmaBar", [.0100, .3238, .5862, .7785, .8980, .9603, 1.0000] },
        { "stepSize", [.00458, .0416, .0685, .0890, .1036, .1386] },
        { "weight", [1, .627, .512, .454, .419, .324] },
    };

    [Theory]
    [MemberData(nameof(SpecTable))]
    public void Create_T6_MatchesSpecTable(string quantity, double[] expected)
    {
        IReadOnlyList<double> actual = quantity switch
        {
            "a" => T6.A,
            "sigma" => T6.Sigma,
            "alphaBar" => T6.AlphaBar,
            "sigmaBar" => T6.SigmaBar,
            "stepSize" => T6.StepSize,
            "weight" => T6.Weight,
            _ => throw new ArgumentOutOfRangeException(nameof(quantity)),
        };
        Assert.Equal(expected.Length, actual.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            // The spec rounds to the printed digits: allow half a unit in the last printed place, at most 1e-4.
            var printedHalfUnit = 0.5 * Math.Pow(10, -Decimals(expected[i]));
            Assert.True(Math.Abs(actual[i] - expected[i]) <= Math.Max(printedHalfUnit, 1e-4) + 1e-12,
                $"{quantity}[{i}] = {actual[i]:R}, spec {expected[i]}");
        }
    }

    [Fact]
    public void Create_T6_TetherCoefficientsMatchSpec()
    {
        double[] cSquared = [1, 32.4, 58.6, 77.9, 89.8, 96.0];
        for (var t = 0; t < 6; t++)
        {
            // The spec prints c² to one decimal (77.9 for 77.85): within 0.1.
            Assert.Equal(cSquared[t], T6.StepScaleSquared(t), 0.1);
            Assert.Equal(0.5 * 2e-4 * T6.StepScaleSquared(t), T6.TetherCoefficient(t), 12);
        }
    }

    [Fact]
    public void Create_T6_LastLevelHasNoTetherAndUnitAPrime()
    {
        Assert.Equal(1.0, T6.APrime[6]);
        Assert.Equal(0.0, T6.Recovery[6]);
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(T6.A[i], T6.APrime[i]);
            Assert.Equal(1.0, T6.Recovery[i]);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    [InlineData(17)]
    [InlineData(100)]
    public void Create_AnyLevelCount_IsConsistent(int levels)
    {
        var s = DiffusionSchedule.Create(levels);
        Assert.Equal(levels + 1, s.A.Count);
        Assert.Equal(levels, s.StepSize.Count);
        var product = 1.0;
        for (var i = 0; i <= levels; i++)
        {
            product *= s.A[i];
            Assert.Equal(product, s.AlphaBar[i], 12);
            Assert.Equal(1.0, s.A[i] * s.A[i] + s.Sigma[i] * s.Sigma[i], 12);
            Assert.Equal(1.0, s.AlphaBar[i] * s.AlphaBar[i] + s.SigmaBar[i] * s.SigmaBar[i], 12);
        }
        // The whole chain covers all 1000 DDPM steps: ā_T equals the DDPM product over every beta.
        var ddpm = 1.0;
        for (var j = 0; j < 1000; j++) ddpm *= Math.Sqrt(1 - (1e-4 + (0.02 - 1e-4) * j / 999));
        Assert.Equal(ddpm, s.AlphaBar[levels], 12);
        Assert.Equal(1.0, s.Weight[0], 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(101)]
    public void Create_LevelsOutOfRange_Throws(int levels)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DiffusionSchedule.Create(levels));
        Assert.Contains("between 2 and 100", error.Message);
    }

    private static int Decimals(double value)
    {
        var text = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var dot = text.IndexOf('.');
        return dot < 0 ? 0 : text.Length - dot - 1;
    }
}
