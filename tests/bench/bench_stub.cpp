// The trivial "juju" the spawn benchmarks run: all cost is process creation and teardown.
int main() { return 0; }
