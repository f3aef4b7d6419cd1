#!/usr/bin/env python3
"""A short Juju session driven the way Python Jubilant drives juju (standard library only).

Runs `juju` from PATH with Jubilant's argv shapes: `--model` after the first argument, secret
content and action params in temp files passed with `--file` / `--params`, status polled until
every app and unit is active three times in a row. Prints a JSON summary of what it saw; the
juju-cassette tests run it recording (juju-cassette in front of fake-juju) and replaying, and
compare the summaries. tests/tools/juju_cassette_test.cpp replays the same cassette in C++.

The poll delay follows docs/how-to/record-and-replay-any-client.md: none when replaying.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

MODEL = 'shim'
REPLAYING = os.environ.get('JUBILANT_RECORD_MODE', 'none') == 'none'
POLL_DELAY = 0.0 if REPLAYING else 0.01


def juju(*args, include_model=True, check=True):
    if include_model:
        args = (args[0], '--model', MODEL, *args[1:])
    process = subprocess.run(['juju', *args], capture_output=True, encoding='utf-8')
    if check and process.returncode != 0:
        sys.exit(f'juju {" ".join(args)} failed ({process.returncode}):\n{process.stderr}')
    return process


def with_yaml_file(mapping, flag, *args):
    """Jubilant's NamedTemporaryFile: the YAML mapping in a file passed with `flag`."""
    with tempfile.NamedTemporaryFile('w+') as file:
        for key, value in mapping.items():
            file.write(f'{json.dumps(key)}: {json.dumps(value)}\n')
        file.flush()
        return juju(*args, flag, file.name)


def all_active(status):
    for app in status.get('applications', {}).values():
        if app.get('application-status', {}).get('current') != 'active':
            return False
        for unit in (app.get('units') or {}).values():
            if unit.get('workload-status', {}).get('current') != 'active':
                return False
    return True


def wait(ready, successes=3, timeout=60.0):
    polls = 0
    in_a_row = 0
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        status = json.loads(juju('status', '--format', 'json').stdout)
        polls += 1
        if ready(status):
            in_a_row += 1
            if in_a_row >= successes:
                return status, polls
        else:
            in_a_row = 0
        time.sleep(POLL_DELAY)
    sys.exit(f'wait timed out after {polls} polls')


def main():
    summary = {}
    juju('add-model', '--no-switch', MODEL, include_model=False)
    juju('deploy', 'postgresql')
    status, polls = wait(all_active)
    summary['polls'] = polls
    summary['units'] = sorted(status['applications']['postgresql']['units'])

    action = with_yaml_file({'username': 'alice'}, '--params',
                            'run', '--format', 'json', 'postgresql/0', 'get-password')
    task = next(iter(json.loads(action.stdout).values()))
    summary['action_status'] = task['status']

    uri = with_yaml_file({'password': 'hunter2'}, '--file', 'add-secret', 'db-password')
    summary['secret_uri'] = uri.stdout.strip()
    shown = json.loads(juju('show-secret', 'db-password', '--format', 'json', '--reveal').stdout)
    summary['secret_fields'] = sorted(next(iter(shown.values())))

    # A failing command: exit code and stderr must come back byte for byte.
    missing = juju('show-unit', 'nosuch/0', '--format', 'json', check=False)
    summary['failure'] = [missing.returncode, missing.stdout, missing.stderr]
    json.dump(summary, sys.stdout, sort_keys=True)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
