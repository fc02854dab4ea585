using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RLDistributed.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace RLDistributed.Deploy.Tests.Chart;

/// <summary>Every value is documented with <c>## @param</c> and constrained by values.schema.json.</summary>
public sealed partial class ValuesDocumentationTests
{
    private static readonly string ValuesText = File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "values.yaml"));

    [Fact]
    public void Values_EveryLeaf_HasAParamLineOnItOrAnEnclosingKey()
    {
        var documented = DocumentedPaths();

        var undocumented = LeafPaths().Where(path => !Prefixes(path).Any(documented.Contains)).ToList();

        Assert.True(undocumented.Count == 0, $"values without '## @param': {string.Join(", ", undocumented)}");
    }

    [Fact]
    public void Values_EveryParamLine_NamesAValueThatExists()
    {
        var all = AllPaths();

        var stale = DocumentedPaths().Where(p => !all.Contains(p)).ToList();

        Assert.True(stale.Count == 0, $"'## @param' lines naming no value: {string.Join(", ", stale)}");
    }

    [Fact]
    public void Schema_EveryDocumentedValue_IsDescribedThere()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Chart, "values.schema.json")))!;

        var missing = DocumentedPaths().Where(path => !InSchema(schema, path.Split('.'))).ToList();

        Assert.True(missing.Count == 0, $"values missing from values.schema.json: {string.Join(", ", missing)}");
        Assert.False(schema["additionalProperties"]!.GetValue<bool>(), "the schema must reject unknown top-level values");
    }

    private static HashSet<string> DocumentedPaths() =>
        ParamLine().Matches(ValuesText).Select(m => m.Groups[1].Value).ToHashSet();

    private static IEnumerable<string> Prefixes(string path)
    {
        var parts = path.Split('.');
        return Enumerable.Range(1, parts.Length).Select(n => string.Join('.', parts.Take(n)));
    }

    private static bool InSchema(JsonNode schema, IEnumerable<string> path)
    {
        var node = schema;
        foreach (var key in path)
        {
            node = node["properties"]?[key];
            if (node is null) return false;
        }
        return true;
    }

    /// <summary>Keys whose value is a scalar, a sequence or an empty mapping: the values a user sets.</summary>
    private static List<string> LeafPaths() => Walk(Root(), "").Where(p => p.IsLeaf).Select(p => p.Path).ToList();

    private static HashSet<string> AllPaths() => Walk(Root(), "").Select(p => p.Path).ToHashSet();

    private static YamlMappingNode Root()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(ValuesText));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static IEnumerable<(string Path, bool IsLeaf)> Walk(YamlMappingNode node, string prefix)
    {
        foreach (var (key, value) in node.Children)
        {
            var path = prefix + ((YamlScalarNode)key).Value;
            var nested = value as YamlMappingNode;
            yield return (path, nested is null || nested.Children.Count == 0);
            if (nested is null) continue;
            foreach (var child in Walk(nested, path + ".")) yield return child;
        }
    }

    [GeneratedRegex(@"^\s*## @param (\S+) ", RegexOptions.Multiline)]
    private static partial Regex ParamLine();
}
