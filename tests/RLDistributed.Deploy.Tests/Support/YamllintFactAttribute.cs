namespace RLDistributed.Deploy.Tests.Support;

/// <summary>A fact that is skipped, saying why, where yamllint is not installed (scripts/setup.sh installs it as root).</summary>
internal sealed class YamllintFactAttribute : FactAttribute
{
    public YamllintFactAttribute()
    {
        if (Yamllint.Executable is null)
            Skip = "yamllint is not installed and could not be (scripts/setup.sh installs the Debian package yamllint when run as root)";
    }
}
