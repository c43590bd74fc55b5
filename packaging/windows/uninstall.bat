@echo off
setlocal EnableExtensions DisableDelayedExpansion
rem Saved in GBK with CRLF. cmd decodes each line in the console's code page as it reads it:
rem switch to 936 (GBK) before the first Chinese line, so the texts read right on a Windows
rem set to another code page too; the previous page is restored before every exit.
for /f "tokens=2 delims=:." %%C in ('chcp') do set /a "OLDCP=%%C" >nul 2>nul
chcp 936 >nul
rem 卸载 部门整体支出绩效自评：删除程序文件夹和快捷方式，不删除填写的数据。
title 卸载 部门整体支出绩效自评
set "TARGET=%LOCALAPPDATA%\Programs\selfeval"
echo.
echo   将卸载“部门整体支出绩效自评”：删除程序文件夹
rem A FOR variable's value is not parsed again: & or ^ in the user's folder name stay text.
for %%T in ("%TARGET%") do echo   %%~T
echo   以及桌面和“开始”菜单中的快捷方式。
echo.
echo   填写的数据保存在 %%APPDATA%%\selfeval，不会删除。
echo.
echo   请先关闭正在运行的程序。按任意键开始卸载；不想卸载，直接关闭本窗口。
pause >nul
if exist "%TARGET%\shortcuts.py" if exist "%TARGET%\python\python.exe" "%TARGET%\python\python.exe" -I "%TARGET%\shortcuts.py" remove
if exist "%TARGET%\shortcuts.py" if exist "%TARGET%\venv\Scripts\python.exe" "%TARGET%\venv\Scripts\python.exe" "%TARGET%\shortcuts.py" remove
if exist "%TARGET%\python\" rmdir /s /q "%TARGET%\python"
if exist "%TARGET%\python\" goto :busy
if exist "%TARGET%\venv\" rmdir /s /q "%TARGET%\venv"
if exist "%TARGET%\venv\" goto :busy
del /f /q "%TARGET%\selfeval-gui.pyw" "%TARGET%\selfeval.cmd" "%TARGET%\selfeval.ico" "%TARGET%\shortcuts.py" >nul 2>nul
echo 卸载完成。填写的数据仍在 %%APPDATA%%\selfeval。
pause
cd /d "%TEMP%"
rem 删除程序文件夹（本文件也在其中）：先退出批处理，再删除。
if defined OLDCP chcp %OLDCP% >nul
(goto) 2>nul & rmdir /s /q "%TARGET%"
exit /b 0

:busy
echo 有程序文件正被占用，没有删干净。请关闭“部门整体支出绩效自评”后再运行一次卸载。
pause
if defined OLDCP chcp %OLDCP% >nul
exit /b 1
