using System.CommandLine;

namespace RLDistributed.Cli.Hosting;

/// <summary>Options several commands share, with their validation.</summary>
public static class CommonOptions
{
    /// <summary>--seed: the run seed every random draw is keyed by.</summary>
    public static Option<ulong?> Seed() => new("--seed") { Description = "Run seed (every random draw is keyed by it)" };

    /// <summary>--threads: torch intra-op threads (default: all cores).</summary>
    public static Option<int?> Threads()
    {
        var option = new Option<int?>("--threads") { Description = "Torch CPU threads (default: all cores)" };
        option.Validators.Add(r =>
        {
            if (OptionValues.TryGet<int?>(r, out var value) && value is { } n && (n < 1 || n > 1024)) r.AddError($"--threads must be between 1 and 1024, got {n}");
        });
        return option;
    }

    /// <summary>--device: cpu (default) or cuda[:i].</summary>
    public static Option<string> Device() => new("--device") { Description = "cpu or cuda[:index]", DefaultValueFactory = _ => "cpu" };

    /// <summary>A positive-integer option that names itself in its error.</summary>
    public static Option<T?> Positive<T>(string name, string description) where T : struct, IComparable<T>
    {
        var option = new Option<T?>(name) { Description = description };
        option.Validators.Add(r =>
        {
            if (OptionValues.TryGet<T?>(r, out var value) && value is { } v && v.CompareTo(default) <= 0) r.AddError($"{name} must be positive, got {v}");
        });
        return option;
    }

    /// <summary>An integer option limited to [<paramref name="minimum"/>, <paramref name="maximum"/>] that names itself in its error.</summary>
    public static Option<int?> InRange(string name, string description, int minimum, int maximum)
    {
        var option = new Option<int?>(name) { Description = description };
        option.Validators.Add(r =>
        {
            if (OptionValues.TryGet<int?>(r, out var value) && value is { } v && (v < minimum || v > maximum))
                r.AddError($"{name} must be between {minimum} and {maximum}, got {v}");
        });
        return option;
    }

    /// <summary>
    /// Restricts a string option to <paramref name="allowed"/> with a one-line error that names the option
    /// (System.CommandLine's own AcceptOnlyFromAmong prints one line per allowed value).
    /// </summary>
    public static Option<string> OneOf(this Option<string> option, params string[] allowed)
    {
        option.Validators.Add(r =>
        {
            if (OptionValues.TryGet<string>(r, out var value) && !allowed.Contains(value))
                r.AddError($"{option.Name} '{value}' is not allowed; expected one of {string.Join(", ", allowed)}");
        });
        return option;
    }
}
