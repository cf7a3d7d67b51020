"""Library: prompt components, presets composed from them, modular prompts with variables,
and the library as plain files (export, import, other tools' formats).

The face other domains import from; each name's module loads on first use (services/faces.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from promptterm.services.faces import lazy_exports

if TYPE_CHECKING:
    from promptterm.services.library.component_versions import (
        ComponentVersionInfo as ComponentVersionInfo,
    )
    from promptterm.services.library.components import ComponentInfo as ComponentInfo
    from promptterm.services.library.components import ComponentService as ComponentService
    from promptterm.services.library.components import ComponentSummary as ComponentSummary
    from promptterm.services.library.io.report import ExportReport as ExportReport
    from promptterm.services.library.io.report import ImportReport as ImportReport
    from promptterm.services.library.io.service import LibraryIOService as LibraryIOService
    from promptterm.services.library.lean_prompts import lean_folder_names as lean_folder_names
    from promptterm.services.library.lean_prompts import lean_prompt_find as lean_prompt_find
    from promptterm.services.library.lean_prompts import lean_prompt_list as lean_prompt_list
    from promptterm.services.library.lean_prompts import lean_recent_uses as lean_recent_uses
    from promptterm.services.library.lean_reads import (
        lean_component_find as lean_component_find,
    )
    from promptterm.services.library.lean_reads import (
        lean_component_list as lean_component_list,
    )
    from promptterm.services.library.lean_reads import lean_preset_compose as lean_preset_compose
    from promptterm.services.library.lean_reads import lean_preset_list as lean_preset_list
    from promptterm.services.library.preset_compose import ComposedPrompt as ComposedPrompt
    from promptterm.services.library.presets import PresetInfo as PresetInfo
    from promptterm.services.library.presets import PresetService as PresetService
    from promptterm.services.library.prompt_editor import PromptEditor as PromptEditor
    from promptterm.services.library.prompt_info import ModuleInfo as ModuleInfo
    from promptterm.services.library.prompt_info import OptionInfo as OptionInfo
    from promptterm.services.library.prompt_info import PromptInfo as PromptInfo
    from promptterm.services.library.prompt_render import VariableSpec as VariableSpec
    from promptterm.services.library.prompt_sharing import PromptSharing as PromptSharing
    from promptterm.services.library.prompt_sharing import SharedPrompt as SharedPrompt
    from promptterm.services.library.prompt_usage import PromptUsageService as PromptUsageService
    from promptterm.services.library.prompt_use_info import PromptUseInfo as PromptUseInfo
    from promptterm.services.library.prompt_versions import (
        PromptVersionInfo as PromptVersionInfo,
    )
    from promptterm.services.library.prompts import FolderInfo as FolderInfo
    from promptterm.services.library.prompts import PromptService as PromptService
    from promptterm.services.library.prompts import PromptSummary as PromptSummary
    from promptterm.services.library.trash_check import trash_due as trash_due

__getattr__, __dir__, __all__ = lazy_exports(
    __name__,
    {
        "components": ("ComponentService", "ComponentInfo", "ComponentSummary"),
        "component_versions": ("ComponentVersionInfo",),
        "presets": ("PresetService", "PresetInfo"),
        "preset_compose": ("ComposedPrompt",),
        # The CLI's `preset show|list`, `component list|show` without SQLAlchemy.
        "lean_reads": (
            "lean_preset_compose",
            "lean_preset_list",
            "lean_component_list",
            "lean_component_find",
        ),
        # And `prompt list|show`.
        "lean_prompts": (
            "lean_prompt_list",
            "lean_prompt_find",
            "lean_folder_names",
            "lean_recent_uses",
        ),
        # Asked by every start before the prompt service is loaded.
        "trash_check": ("trash_due",),
        "prompts": ("PromptService", "FolderInfo", "PromptSummary"),
        "prompt_info": ("OptionInfo", "ModuleInfo", "PromptInfo"),
        "prompt_editor": ("PromptEditor",),
        "prompt_usage": ("PromptUsageService",),
        "prompt_use_info": ("PromptUseInfo",),
        "prompt_sharing": ("PromptSharing", "SharedPrompt"),
        "prompt_versions": ("PromptVersionInfo",),
        "prompt_render": ("VariableSpec",),
        "io.service": ("LibraryIOService",),
        "io.report": ("ImportReport", "ExportReport"),
    },
)
