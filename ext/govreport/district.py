"""``python -m govreport.district DEST …``: the synthetic district (示例数据), by the name users type.

The generator is :mod:`govreport.portal.district` (issue 20 moved it there); this
entry stays because the command is quoted in the project's brief and README.
"""

from .portal.district import main

if __name__ == "__main__":
    raise SystemExit(main())
