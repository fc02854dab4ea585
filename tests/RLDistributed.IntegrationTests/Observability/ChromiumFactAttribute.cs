namespace RLDistributed.IntegrationTests.Observability;

/// <summary>A fact skipped, saying why, where Chromium is not installed (scripts/setup.sh installs Debian's chromium as root).</summary>
internal sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Executable is null)
            Skip = "chromium is not installed and could not be (scripts/setup.sh installs the Debian package chromium when run as root)";
    }
}
