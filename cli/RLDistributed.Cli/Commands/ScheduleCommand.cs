using System.CommandLine;
using System.Text.Json;
using RLDistributed.Core.Diffusion;
using RLDistributed.Cli.Hosting;
using Spectre.Console;

namespace RLDistributed.Cli.Commands;

/// <summary><c>rld schedule --levels T [--json]</c>: prints the DRL schedule.</summary>
public static class ScheduleCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var levels = new Option<int>("--levels", "-T")
        {
            Description = $"Number of energy levels T ({DiffusionSchedule.MinLevels}–{DiffusionSchedule.MaxLevels})",
            DefaultValueFactory = _ => 6,
        };
        levels.Validators.Add(result =>
        {
            if (OptionValues.TryGet<int>(result, out var value) && value is < DiffusionSchedule.MinLevels or > DiffusionSchedule.MaxLevels)
                result.AddError($"--levels must be between {DiffusionSchedule.MinLevels} and {DiffusionSchedule.MaxLevels}, got {value}");
        });
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {t, a, sigma, alphaBar, sigmaBar, stepSize, weight}" };

        var command = new Command("schedule", "Print the noise schedule, Langevin step sizes and loss weights") { levels, json };
        command.SetAction(parse =>
        {
            var schedule = DiffusionSchedule.Create(parse.GetValue(levels));
            if (parse.GetValue(json)) Console.Out.WriteLine(ToJson(schedule));
            else AnsiConsole.Write(ToTable(schedule));
            return 0;
        });
        return command;
    }

    /// <summary>One row per level t = 0..T; stepSize and weight are null at t = T (no energy there).</summary>
    public static string ToJson(DiffusionSchedule schedule)
    {
        var rows = Enumerable.Range(0, schedule.Levels + 1).Select(t => new ScheduleRow(
            t, schedule.A[t], schedule.Sigma[t], schedule.AlphaBar[t], schedule.SigmaBar[t],
            t < schedule.Levels ? schedule.StepSize[t] : null,
            t < schedule.Levels ? schedule.Weight[t] : null));
        return JsonSerializer.Serialize(rows, ScheduleJsonContext.Default.IEnumerableScheduleRow);
    }

    private static Table ToTable(DiffusionSchedule schedule)
    {
        var table = new Table().Title($"DRL schedule, T = {schedule.Levels}, b² = {schedule.StepSizeBSquared:g}");
        foreach (var header in new[] { "t", "a", "σ", "ā", "σ̄", "step size s", "loss weight w" })
            table.AddColumn(new TableColumn(header).RightAligned());
        for (var t = 0; t <= schedule.Levels; t++)
        {
            table.AddRow(
                t.ToString(), F(schedule.A[t]), F(schedule.Sigma[t]), F(schedule.AlphaBar[t]), F(schedule.SigmaBar[t]),
                t < schedule.Levels ? F(schedule.StepSize[t]) : "–",
                t < schedule.Levels ? F(schedule.Weight[t]) : "–");
        }
        return table;
    }

    private static string F(double value) => value.ToString("0.00000", System.Globalization.CultureInfo.InvariantCulture);
}
