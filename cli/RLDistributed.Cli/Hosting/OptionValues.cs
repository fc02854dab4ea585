using System.CommandLine.Parsing;

namespace RLDistributed.Cli.Hosting;

/// <summary>Reads an option's value inside a validator.</summary>
public static class OptionValues
{
    /// <summary>
    /// The converted value, or false when the text did not convert: System.CommandLine runs validators even
    /// then (and throws on reading), while its own conversion error already names the option.
    /// </summary>
    public static bool TryGet<T>(OptionResult result, out T? value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }
}
