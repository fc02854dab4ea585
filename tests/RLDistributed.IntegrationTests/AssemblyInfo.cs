// Each test starts several real processes; on a 2-core machine, running test classes side by side starves
// heartbeats and turns timing into failures. One test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
