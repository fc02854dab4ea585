namespace RLDistributed.Deploy.Tests.Support;

/// <summary>
/// A Dockerfile read the way the builder reads its structure: instructions (comments dropped, backslash
/// continuations joined), the ARGs before the first FROM, and the stages.
/// </summary>
internal sealed record Dockerfile(IReadOnlyList<DockerInstruction> GlobalInstructions, IReadOnlyList<DockerStage> Stages)
{
    public static Dockerfile Parse(string text)
    {
        var instructions = Instructions(text).ToList();
        var global = instructions.TakeWhile(i => i.Keyword != "FROM").ToList();
        var stages = new List<DockerStage>();
        foreach (var instruction in instructions.Skip(global.Count))
        {
            if (instruction.Keyword == "FROM")
            {
                var parts = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var name = parts.Length == 3 && parts[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? parts[2] : null;
                stages.Add(new DockerStage(parts[0], name, []));
            }
            else
            {
                var last = stages[^1];
                stages[^1] = last with { Instructions = [.. last.Instructions, instruction] };
            }
        }
        return new Dockerfile(global, stages);
    }

    public DockerStage Stage(string name) => Assert.Single(Stages, s => s.Name == name);

    private static IEnumerable<DockerInstruction> Instructions(string text)
    {
        var pending = "";
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#')) continue;
            if (line.EndsWith('\\'))
            {
                pending += line[..^1].Trim() + " ";
                continue;
            }
            var whole = (pending + line).Trim();
            pending = "";
            if (whole.Length == 0) continue;
            var space = whole.IndexOf(' ');
            yield return space < 0
                ? new DockerInstruction(whole.ToUpperInvariant(), "")
                : new DockerInstruction(whole[..space].ToUpperInvariant(), whole[(space + 1)..].Trim());
        }
    }
}
