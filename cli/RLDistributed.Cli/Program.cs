using RLDistributed.Cli;

return await RldApp.RunAsync(args);
