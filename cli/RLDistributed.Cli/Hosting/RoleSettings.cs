using System.CommandLine;
using Microsoft.Extensions.Configuration;

namespace RLDistributed.Cli.Hosting;

/// <summary>
/// Settings of a service role (<c>rld coordinator</c>, <c>rld worker</c>) as a container gives them: a flag
/// wins, then the environment (<c>Rld__Worker__RunId</c>), then <c>appsettings.json</c> in the working
/// directory (<c>{"Rld": {"Worker": {"RunId": …}}}</c>), then the flag's default.
/// </summary>
public sealed class RoleSettings(ParseResult parse, IConfigurationSection section)
{
    /// <summary>Reads appsettings.json (optional) and the environment, and returns the role's section.</summary>
    public static RoleSettings For(ParseResult parse, string sectionName)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        return new RoleSettings(parse, configuration.GetSection(sectionName));
    }

    /// <summary>An optional string setting; <paramref name="key"/> is its name in the section.</summary>
    public string? Find(Option<string?> option, string key) =>
        Given(option) ? parse.GetValue(option) : section[key] ?? parse.GetValue(option);

    /// <summary>A string setting with a default.</summary>
    public string Get(Option<string> option, string key) =>
        Given(option) ? parse.GetValue(option)! : section[key] ?? parse.GetValue(option)!;

    /// <summary>An integer setting; a malformed configured value is a usage error naming the key.</summary>
    public int Get(Option<int> option, string key)
    {
        if (Given(option) || section[key] is not { } text) return parse.GetValue(option);
        return int.TryParse(text, out var value) ? value : throw new CliUsageException($"{section.Path}:{key}", $"'{text}' is not an integer");
    }

    /// <summary>A switch; a configured value must be true or false.</summary>
    public bool Get(Option<bool> option, string key)
    {
        if (Given(option) || section[key] is not { } text) return parse.GetValue(option);
        return bool.TryParse(text, out var value) ? value : throw new CliUsageException($"{section.Path}:{key}", $"'{text}' is not true or false");
    }

    /// <summary>An optional integer setting; a malformed configured value is a usage error naming the key.</summary>
    public int? Find(Option<int?> option, string key)
    {
        if (Given(option) || section[key] is not { } text) return parse.GetValue(option);
        return int.TryParse(text, out var value) ? value : throw new CliUsageException($"{section.Path}:{key}", $"'{text}' is not an integer");
    }

    /// <summary>
    /// A group of settings bound from the subsection <paramref name="key"/> (environment
    /// <c>Rld__Worker__Resilience__MaxRetries</c>, or appsettings.json); defaults where nothing is set.
    /// </summary>
    public T Bind<T>(string key) where T : new()
    {
        try
        {
            return section.GetSection(key).Get<T>() ?? new T();
        }
        catch (InvalidOperationException e)
        {
            throw new CliUsageException($"{section.Path}:{key}", e.InnerException?.Message ?? e.Message);
        }
    }

    /// <summary>A setting with no flag (a secret such as the run token, which must not appear on a command line).</summary>
    public string? Setting(string key) => section[key];

    /// <summary>The section's path (Rld:Worker), to name settings in messages.</summary>
    public string SectionPath => section.Path;

    /// <summary>A required string: the flag or the setting must be there.</summary>
    public string Require(Option<string?> option, string key) =>
        Find(option, key) is { Length: > 0 } value ? value : throw new CliUsageException(option.Name, $"is required (or set {section.Path}:{key})");

    private bool Given(Option option) => parse.GetResult(option) is { Implicit: false };
}
