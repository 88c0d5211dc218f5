"""workflow/ must stay usable alone: no web or database library is imported."""

import subprocess
import sys


def test_workflow_imports_no_flask_or_database_library() -> None:
    code = (
        "import sys, workflow, workflow.diagram, workflow.engine, workflow.triggers;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in"
        " {'flask', 'sqlmodel', 'sqlalchemy', 'wtforms', 'werkzeug', 'pydantic'});"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
