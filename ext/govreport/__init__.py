"""政府信息公开工作年度报告 as code: the format spec, loading, checks and tools.

The Sphinx extension is ``govreport.sphinxext``; everything else is pure Python.
"""

__version__ = "1.0"

# The portal (roll-ups, archives, 内容雷同, portal.toml's groups) hooks into loading
# and checking from outside (issue 20: the core never imports the portal); here, so
# that whatever module is imported first, reports load and check the same way.
from .portal import portalhooks as _portalhooks
from .portal import rulepacks as _rulepacks

_portalhooks.register()
_rulepacks.register()  # issue 20: a district's rule packs (portal.toml's rule_packs)
