@echo off
setlocal EnableExtensions DisableDelayedExpansion
rem Saved in GBK with CRLF. cmd decodes each line in the console's code page as it reads it:
rem switch to 936 (GBK) before the first Chinese line, so the texts read right on a Windows
rem set to another code page too; the previous page is restored before every exit.
for /f "tokens=2 delims=:." %%C in ('chcp') do set /a "OLDCP=%%C" >nul 2>nul
chcp 936 >nul
rem 部门整体支出绩效自评 @VERSION@：离线安装（不需要网络，不需要管理员权限，不需要本机有 Python）。
rem 安装包自带 Python（python 文件夹）；安装由 tools\install.py 完成：先检查安装包是否完整，
rem 在新文件夹中装好并确认程序能启动，再替换原有的安装。路径只在引号中使用（不经 call 或 for），
rem 所以用户文件夹名中的空格、中文、&、%、!、^、括号都不影响。
title 部门整体支出绩效自评 @VERSION@ 安装

echo.
echo   部门整体支出绩效自评 @VERSION@  离线安装
echo   不需要网络，不需要管理员权限，也不需要另外安装 Python。
echo.

if not exist "%~dp0python\python.exe" goto :not_unpacked
if not exist "%~dp0tools\install.py" goto :not_unpacked
"%~dp0python\python.exe" -I -X utf8 "%~dp0tools\install.py"
if errorlevel 1 goto :failed
echo.
pause
if defined OLDCP chcp %OLDCP% >nul
exit /b 0

:not_unpacked
echo 找不到安装包中的 python 或 tools 文件夹。请先把整个压缩包解压到一个文件夹，
echo 再运行解压出来的“安装.bat”。
goto :failed

:failed
echo.
echo 安装没有完成。请把本窗口的内容拍照或截图，交给单位的信息化管理人员。
echo.
pause
if defined OLDCP chcp %OLDCP% >nul
exit /b 1
