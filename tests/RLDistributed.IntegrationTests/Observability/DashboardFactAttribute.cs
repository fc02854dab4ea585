namespace RLDistributed.IntegrationTests.Observability;

/// <summary>A fact skipped, saying why, where the Aspire dashboard was not fetched (make test's setup fetches it from NuGet).</summary>
internal sealed class DashboardFactAttribute : FactAttribute
{
    public DashboardFactAttribute()
    {
        if (AspireDashboard.Executable is null)
            Skip = "the Aspire dashboard (NuGet Aspire.Dashboard.Sdk.linux-x64 13.6.5) is not in tools/aspire-dashboard or the NuGet cache; make setup fetches it";
    }
}
